/* Relief Check: small extras on top of pages that work fully without JavaScript. */
document.addEventListener("DOMContentLoaded", function () {
  // The letter's print button only exists when it can work; the text beside it says how to
  // print from the browser menu otherwise.
  document.querySelectorAll("[data-print-button]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
});
