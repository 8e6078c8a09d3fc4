// Scalar API reference for /admin/api-docs: the standalone bundle is served locally (/admin/api-docs/scalar.js).
(function () {
    var target = document.getElementById('api-reference');
    if (!target || !window.Scalar || typeof window.Scalar.createApiReference !== 'function') return;
    window.Scalar.createApiReference('#api-reference', {
        url: target.getAttribute('data-openapi-url'),
        hideClientButton: true,
        withDefaultFonts: false,
        telemetry: false
    });
})();
