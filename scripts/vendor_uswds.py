"""Copy the parts of USWDS that the site uses from node_modules into static/vendor/uswds.

Run after `npm install` when upgrading @uswds/uswds: `npm run vendor:uswds`. The copied files are
committed, so `make run` needs no Node. Only the compiled CSS and the fonts and images its url()s
point at are kept (no JavaScript: every page works without it), and the source-map comment is
dropped so whitenoise's manifest storage has nothing unresolvable to rewrite.
"""

import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "@uswds" / "uswds"
TARGET = ROOT / "static" / "vendor" / "uswds"
URL_RE = re.compile(r"url\(\s*['\"]?([^'\")]+?)['\"]?\s*\)")
SOURCE_MAP_RE = re.compile(r"/\*# sourceMappingURL=[^*]*\*/\s*$")


def main() -> int:
    dist = SOURCE / "dist"
    if not dist.is_dir():
        print("node_modules/@uswds/uswds is missing: run `npm install` first.", file=sys.stderr)
        return 1
    version = json.loads((SOURCE / "package.json").read_text())["version"]
    css = SOURCE_MAP_RE.sub("", (dist / "css" / "uswds.min.css").read_text(encoding="utf-8"))

    if TARGET.exists():
        shutil.rmtree(TARGET)
    (TARGET / "css").mkdir(parents=True)
    (TARGET / "css" / "uswds.min.css").write_text(css, encoding="utf-8")

    referenced = sorted(
        {u for u in URL_RE.findall(css) if not u.startswith(("data:", "#", "http", "/"))}
    )
    for url in referenced:
        relative = (Path("css") / url.split("?")[0].split("#")[0]).as_posix()
        source = (dist / relative).resolve()
        target = (TARGET / relative).resolve()
        if not source.is_file():
            print(f"missing in the package: {relative}", file=sys.stderr)
            return 1
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    shutil.copy2(SOURCE / "LICENSE.md", TARGET / "LICENSE.md")
    (TARGET / "VERSION").write_text(f"@uswds/uswds {version}\n")
    print(
        f"USWDS {version}: css + {len(referenced)} referenced files -> {TARGET.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
