// Progressive enhancement only: every page works without this file.
import { initAll } from "./govuk-frontend.min.js";
import { initFileProgress } from "./file-progress.mjs";
import { initConditionalReveals } from "./conditional-reveal.mjs";

initAll();
initFileProgress();
initConditionalReveals();
