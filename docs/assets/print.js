// Print buttons (.kb-print on report and bundle pages): open the browser's print dialog.
// They are links with role="button": a click or Enter (a link's own key) or Space (a
// button's key) prints. docs/assets/print.css lays the page out as an official document
// (GB/T 9704-2012).
(function () {
  "use strict";

  function printButton(event) {
    return event.target.closest && event.target.closest(".kb-print");
  }

  document.addEventListener("click", function (event) {
    if (!printButton(event)) return;
    event.preventDefault();
    window.print();
  });

  document.addEventListener("keydown", function (event) {
    if ((event.key !== " " && event.key !== "Spacebar") || !printButton(event)) return;
    event.preventDefault();  // no page scroll
    window.print();
  });
})();
