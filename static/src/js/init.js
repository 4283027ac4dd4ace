// Marks the page as having JavaScript before GOV.UK Frontend's components start.
// An external file, not inline script, so the Content Security Policy stays strict.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
