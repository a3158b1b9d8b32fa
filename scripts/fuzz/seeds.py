"""Writes the fuzzer's seed inputs into the folder given: every template in the repository, and each comparison
fixture joined to its base by the harness's separator (so the differ starts from real pairs)."""
import hashlib
import pathlib
import sys

SEPARATOR = b"\n#--- head ---\n"  # FuzzHarness.separator
root = pathlib.Path(__file__).resolve().parents[2]
out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
for stale in out.iterdir():  # written anew, so a removed fixture stops being a seed
    stale.unlink()


def write(data: bytes) -> None:
    (out / hashlib.sha1(data).hexdigest()).write_bytes(data)


templates = [p for folder in ("fixtures", "infrastructure/cloudformation") for p in (root / folder).rglob("*")
             if p.suffix in (".yaml", ".yml", ".json", ".txt", ".bin") and p.is_file()]
for path in templates:
    write(path.read_bytes())
for folder, base in (("changes", "base.yaml"), ("global", "base.yaml"), ("sam", "simple-table.yaml")):
    base_bytes = (root / "fixtures" / folder / base).read_bytes()
    for head in sorted((root / "fixtures" / folder).glob("*.yaml")):
        write(base_bytes + SEPARATOR + head.read_bytes())
print(f"seeds: {len(list(out.iterdir()))} inputs in {out}")
