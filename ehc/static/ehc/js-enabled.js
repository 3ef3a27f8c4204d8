// GOV.UK Frontend: mark the page as having JavaScript before it is drawn (kept out of the page so
// the Content-Security-Policy needs no inline script).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
