// Builds static/dist from node_modules and static/src: compiled CSS, GOV.UK/MOJ assets and JS.
// static/dist is never committed; `npm run build` (called by make) recreates it.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dist = join(root, "static", "dist");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const moj = join(root, "node_modules", "@ministryofjustice", "frontend", "moj");

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "css"), { recursive: true });
mkdirSync(join(dist, "js"), { recursive: true });

const css = sass.compile(join(root, "static", "src", "scss", "app.scss"), {
  loadPaths: [join(root, "node_modules"), root],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
  // Deprecation notices raised inside GOV.UK/MOJ Frontend are theirs to fix, not ours.
  logger: {
    warn(message, { span, stack }) {
      const where = `${span?.url?.pathname ?? ""} ${stack ?? ""}`;
      if (!where.includes("node_modules")) console.warn(message);
    },
  },
});
writeFileSync(join(dist, "css", "app.css"), css.css);
// Django admin's additions (accessibility fixes), on its own: admin keeps its own styles.
const adminCss = sass.compile(join(root, "static", "src", "scss", "admin.scss"), {
  style: "compressed",
});
writeFileSync(join(dist, "css", "admin.css"), adminCss.css);

cpSync(join(govuk, "assets"), join(dist, "assets"), { recursive: true });
cpSync(join(moj, "assets"), join(dist, "assets"), { recursive: true });
// GDS Transport is licensed for GOV.UK only; this service uses Arial, so the fonts stay out.
rmSync(join(dist, "assets", "fonts"), { recursive: true, force: true });
// The source map goes too: the hashing storage follows the script's sourceMappingURL.
for (const name of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  cpSync(join(govuk, name), join(dist, "js", name));
}
cpSync(join(root, "static", "src", "js"), join(dist, "js"), { recursive: true });
console.log("static/dist built");
