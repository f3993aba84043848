/* Starts the vendored Swagger UI on /api/v1/docs with the settings the server put in the page. */
const settings = JSON.parse(document.getElementById("swagger-settings").textContent);
settings.dom_id = "#swagger-ui";
settings.presets = [SwaggerUIBundle.presets.apis];
SwaggerUIBundle(settings);
