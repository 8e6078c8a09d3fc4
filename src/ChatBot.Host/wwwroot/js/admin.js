// Console glue, loaded on every page (no inline script: the CSP forbids it).
// htmx requests carry the antiforgery token from <meta name="csrf-token">, which Razor Pages accepts as the
// RequestVerificationToken header, so hx-post/hx-put/hx-delete pass antiforgery like a normal form.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) event.detail.headers["RequestVerificationToken"] = meta.getAttribute("content");
});
// Buttons or forms with data-confirm="…" ask before submitting.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var message = form.getAttribute("data-confirm") || (event.submitter && event.submitter.getAttribute("data-confirm"));
  if (message && !window.confirm(message)) event.preventDefault();
});
