// The import-export forms bind a handler in an HTML attribute, which the Content Security Policy
// refuses: bind it here, so "Select all" on the export form works.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", (event) => window.onSelectToggleChange(event));
  });
});
