"""The register of settings: schools, colleges and early-years settings a case can name.

- `gias`: the import of the DfE's "Get Information about Schools" establishments file;
- `services`: a caseworker adds a setting, a manager confirms or merges it, a case's current
  setting is set (the only writers);
- `selectors`: finding entries (search over the register, matching the school a family typed);
- `fields`: the form field every page uses to choose a setting (search, not a 25,000-row list).
"""
