"""Fail when an executed notebook holds an error output or displays nothing.

Run with Debian's /usr/bin/python3 on a notebook that `jupyter nbconvert
--execute` wrote: it prints one line per notebook and exits 1 on a problem.
"""
import json
import sys

path = sys.argv[1]
nb = json.load(open(path, encoding="utf-8"))
errors, displays, executed = [], 0, 0
for i, cell in enumerate(nb["cells"]):
    if cell["cell_type"] != "code":
        continue
    if cell.get("execution_count") is not None:
        executed += 1
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            errors.append(f"cell {i}: {out.get('ename')}: {out.get('evalue')}")
        if out.get("output_type") in ("display_data", "execute_result") and (
            "text/html" in out.get("data", {}) or "image/svg+xml" in out.get("data", {})
        ):
            displays += 1
print(f"{path}: {executed} cells executed, {displays} rich displays, {len(errors)} errors")
for e in errors:
    print("  " + e)
sys.exit(1 if errors or displays == 0 or executed == 0 else 0)
