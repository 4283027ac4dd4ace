// Conditionally revealed questions under radios (GOV.UK's pattern), for groups marked
// data-app-reveal. GOV.UK Frontend's own radios script also sets aria-expanded on each radio,
// which ARIA does not allow on a radio and axe fails (govuk-frontend issue #979); this keeps
// the reveal and aria-controls only. Without JavaScript every question shows.
export function initConditionalReveals(root = document) {
  root.querySelectorAll("[data-app-reveal]").forEach((group) => {
    const inputs = group.querySelectorAll('input[type="radio"]');
    const sync = () => {
      inputs.forEach((input) => {
        const target = input.getAttribute("data-aria-controls");
        if (target) {
          input.setAttribute("aria-controls", target);
          input.removeAttribute("data-aria-controls");
        }
        const id = input.getAttribute("aria-controls");
        const reveal = id && document.getElementById(id);
        if (reveal) {
          reveal.classList.toggle("govuk-radios__conditional--hidden", !input.checked);
        }
      });
    };
    group.addEventListener("change", sync);
    window.addEventListener("pageshow", sync);
    sync();
  });
}
