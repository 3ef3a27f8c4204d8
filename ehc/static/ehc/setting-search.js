// Search-as-you-type for the register of settings (ehc/register/fields.py).
//
// Each <input data-setting-search> becomes an ARIA 1.2 combobox: typing 3 or more characters
// asks /staff/settings/?format=json&q=... for up to 10 entries and lists them below the box;
// arrow keys move through them, Enter or a click chooses one (its label, which ends with the
// URN, goes into the box, and the server reads the entry from it), Escape closes the list. A
// polite live region says how many were found. Without this script the box still works: the
// server resolves what was typed and offers radios when it is unclear.

const MIN_CHARS = 3;
const SEARCH_URL = "/staff/settings/";

function enhance(input, n) {
  const listId = `${input.id || `setting-search-${n}`}-listbox`;
  const list = document.createElement("ul");
  list.id = listId;
  list.setAttribute("role", "listbox");
  list.className = "govuk-list ehc-setting-search__list";
  list.hidden = true;
  list.style.border = "2px solid #0b0c0c";
  list.style.maxWidth = "40em";
  list.style.margin = "0";
  list.style.background = "#ffffff";
  const status = document.createElement("div");
  status.className = "govuk-visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  input.insertAdjacentElement("afterend", status);
  input.insertAdjacentElement("afterend", list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);

  let results = [];
  let active = -1;
  let timer = null;
  let asked = 0;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (index) => {
    active = index;
    [...list.children].forEach((item, i) => {
      const on = i === index;
      item.setAttribute("aria-selected", on ? "true" : "false");
      item.style.background = on ? "#1d70b8" : "";
      item.style.color = on ? "#ffffff" : "";
      if (on) input.setAttribute("aria-activedescendant", item.id);
    });
  };
  const choose = (index) => {
    if (index < 0 || index >= results.length) return;
    input.value = results[index].label;
    close();
    status.textContent = `${results[index].label} chosen`;
  };
  const show = (found) => {
    results = found;
    list.replaceChildren(
      ...found.map((result, i) => {
        const item = document.createElement("li");
        item.id = `${listId}-${i}`;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.style.padding = "5px 10px";
        item.style.margin = "0";
        item.style.cursor = "pointer";
        item.textContent = result.label;
        if (result.hint) {
          const hint = document.createElement("span");
          hint.className = "govuk-body-s";
          hint.style.display = "block";
          hint.style.margin = "0";
          hint.textContent = result.hint;
          item.appendChild(hint);
        }
        item.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(i);
        });
        return item;
      }),
    );
    list.hidden = found.length === 0;
    input.setAttribute("aria-expanded", found.length ? "true" : "false");
    active = -1;
    status.textContent = found.length
      ? `${found.length} setting${found.length === 1 ? "" : "s"} found. Use the up and down arrows to choose.`
      : "No setting in the register matches.";
  };
  const search = async () => {
    const query = input.value.trim();
    if (query.length < MIN_CHARS) {
      close();
      return;
    }
    const ticket = ++asked;
    try {
      const response = await fetch(`${SEARCH_URL}?format=json&q=${encodeURIComponent(query)}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok || ticket !== asked) return;
      show((await response.json()).results || []);
    } catch {
      close(); // the server still resolves what was typed
    }
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight(Math.min(active + 1, results.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));

  // The "add a setting" link comes back to this page afterwards.
  const group = input.closest(".govuk-form-group");
  const add = group && group.querySelector("a[data-setting-add]");
  if (add) {
    const next = window.location.pathname + window.location.search;
    add.href = `${add.getAttribute("href")}?next=${encodeURIComponent(next)}`;
  }
}

document.querySelectorAll("input[data-setting-search]").forEach(enhance);
