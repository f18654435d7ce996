// Print buttons (.kb-print on report and bundle pages): open the browser's print dialog.
// docs/assets/print.css lays the page out as an official document (GB/T 9704-2012).
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest(".kb-print");
  if (!button) return;
  event.preventDefault();
  window.print();
});
