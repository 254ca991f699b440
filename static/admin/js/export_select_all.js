// The export page's "Välj alla" box checks or clears every field's box. It replaces
// django-import-export's inline onchange handler, which the Content Security Policy blocks
// (templates/admin/import_export/export.html).
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.getElementById("select-all-toggle");
  if (!toggle) {
    return;
  }
  toggle.addEventListener("change", () => {
    const boxes = document.querySelectorAll(
      '.selectable-field-export-row input[type="checkbox"]',
    );
    boxes.forEach((box) => {
      box.checked = toggle.checked;
    });
  });
});
