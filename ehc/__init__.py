"""The core domain: cases, deadlines, the statutory clock, access and roles. Apps build on it;
it imports none of them."""
