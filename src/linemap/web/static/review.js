// One keystroke per decision on the review page: y, n or u presses the matching button,
// unless the reviewer is typing (in the reason box or anywhere else that takes text).
(function () {
  "use strict";
  if (window.linemapReviewKeys) return; // boosted pages run this again: one listener is enough
  window.linemapReviewKeys = true;
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var button = document.querySelector('form.decide button[data-key="' + event.key.toLowerCase() + '"]');
    if (button) {
      event.preventDefault();
      button.click();
    }
  });
})();
