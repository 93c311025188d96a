"""Executes one notebook against an installed kernel and checks it.

    /usr/bin/python3 tests/kernel/run_notebook.py NOTEBOOK.ipynb OUT_DIR [--kernel NAME] [--cell-timeout S]

A notebook fails when: a cell errors (nbclient stops there) or leaves an error output; it has no image/png output
at all; a code cell tagged "expect-image" (metadata.tags) has no image/png output; the committed copy is stale in
structure (other cell count, cell types or sources than the executed copy); a fact its text states about a result
does not hold in the executed outputs, or in the committed ones (notebook_claims.py). The executed copy is written
to OUT_DIR/NAME.ipynb (also on failure, as far as it ran). The reasons go to stdout, then one line per claim and
"NAME: claims: H held, F failed". Exit status 0 when it passes, 3 when it ran cleanly but a claim failed, else 1.
"""
import argparse
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from notebook_claims import check_claims, describe  # noqa: E402


def outputs_of(cell):
    return cell.get("outputs", []) if cell.get("cell_type") == "code" else []


def has_image(cell):
    return any("image/png" in out.get("data", {}) for out in outputs_of(cell))


def structure(nb):
    return [(c.cell_type, c.source) for c in nb.cells]


def check(committed, executed):
    problems = []
    for index, cell in enumerate(executed.cells):
        for out in outputs_of(cell):
            if out.get("output_type") == "error":
                problems.append(f"cell {index}: error output: {out.get('ename')}: {out.get('evalue')}")
        if "expect-image" in cell.get("metadata", {}).get("tags", []) and not has_image(cell):
            problems.append(f"cell {index}: tagged expect-image but has no image/png output")
    if not any(has_image(c) for c in executed.cells):
        problems.append("no image/png output in the whole notebook")
    if structure(committed) != structure(executed):
        problems.append("the committed notebook differs in its cells from the executed one")
    if not any(outputs_of(c) for c in committed.cells):
        problems.append("the committed notebook has no outputs: commit it executed")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook")
    parser.add_argument("out_dir")
    parser.add_argument("--kernel", default=None, help="kernelspec name (default: the notebook's)")
    parser.add_argument("--cell-timeout", type=int, default=600)
    args = parser.parse_args()

    committed = nbformat.read(args.notebook, as_version=4)
    executed = nbformat.read(args.notebook, as_version=4)
    os.makedirs(args.out_dir, exist_ok=True)
    target = os.path.join(args.out_dir, os.path.basename(args.notebook))

    kernel = args.kernel or executed.metadata.get("kernelspec", {}).get("name")
    client = NotebookClient(executed, timeout=args.cell_timeout, kernel_name=kernel, record_timing=False,
                            # run where the notebook lives, as Jupyter does, so its relative paths mean the same
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.notebook))}})
    problems = []
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
        problems.append(f"execution stopped: {str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__}")
    finally:
        nbformat.write(executed, target)

    problems += check(committed, executed)
    name = os.path.basename(args.notebook)
    # outputs committed from a machine that computed wrong numbers are as wrong as fresh ones
    problems += [f"committed copy: {describe(*r)}" for r in check_claims(committed, name) if r[2] is not None]
    claims = check_claims(executed, name)
    failed = sum(error is not None for _, _, error in claims)
    for p in problems:
        print(f"{name}: {p}")
    for claim, index, error in claims:
        print(f"{name}: claim, {describe(claim, index, error)}")
    print(f"{name}: claims: {len(claims) - failed} held, {failed} failed")
    print(f"{name}: {'FAILED' if problems or failed else 'passed'} (executed copy: {target})")
    return 1 if problems else 3 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
