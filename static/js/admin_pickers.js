// The admin's autocomplete pickers (select2) draw a search box, and a box showing the choice, without
// a name: name each after the field it belongs to, whenever select2 draws one (articles/admin_widgets.py).
"use strict";
{
  const fieldName = (element) => {
    const container = element.closest(".select2-container");
    const select = container && container.previousElementSibling;
    const label = select && select.id && document.querySelector(`label[for="${select.id}"]`);
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  };
  const nameAll = () => {
    for (const search of document.querySelectorAll(".select2-search__field:not([aria-label])")) {
      const name = fieldName(search);
      search.setAttribute("aria-label", name ? `Search ${name}` : "Search");
    }
    for (const shown of document.querySelectorAll('.select2-selection__rendered[role="textbox"]:not([aria-label])')) {
      const name = fieldName(shown);
      if (name) shown.setAttribute("aria-label", name);
    }
  };
  new MutationObserver(nameAll).observe(document.documentElement, {childList: true, subtree: true});
}
