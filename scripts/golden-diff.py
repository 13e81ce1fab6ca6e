#!/usr/bin/env python3
# Reviews a re-recording of the golden tier (docs/golden-tier.md): every value recorded at HEAD must be
# unchanged in the new files, which may only add keys, columns and rows. KPI keys given as arguments may
# change value (a deliberate redefinition).  usage: scripts/golden-diff.py [kpi ...]
import csv, json, subprocess, sys, io
changed = subprocess.run(["git","diff","--name-only","tests/golden/data"],capture_output=True,text=True).stdout.split()
bad = 0
allowed_changes = set(sys.argv[1:])   # KPI keys whose values may change
for path in changed:
    old = subprocess.run(["git","show","HEAD:"+path],capture_output=True,text=True).stdout
    new = open(path).read()
    if path.endswith(".json"):
        o, n = json.loads(old), json.loads(new)
        def walk(a, b, where):
            global bad
            if isinstance(a, dict):
                for k in a:
                    if k not in b: print("missing", where, k); bad += 1
                    elif k in allowed_changes: continue
                    else: walk(a[k], b[k], where + "/" + k)
            elif isinstance(a, list):
                if len(a) != len(b): print("len", where); bad += 1
                else:
                    for i,(x,y) in enumerate(zip(a,b)): walk(x,y,where+f"[{i}]")
            elif a != b: print("value", where, a, b); bad += 1
        walk(o, n, path)
    elif path.endswith(".csv"):
        ro = list(csv.DictReader(io.StringIO(old))); rn = list(csv.DictReader(io.StringIO(new)))
        if len(ro) != len(rn):
            # Long format (compare.csv: one row per KPI and variant): new KPIs add rows; old rows must remain.
            missing = set(old.splitlines()) - set(new.splitlines())
            if missing: print("rows removed or changed", path, len(missing)); bad += 1
            continue
        # long-format CSV (compare.csv): rows keyed by kpi column
        for x, y in zip(ro, rn):
            for k, v in x.items():
                if k in allowed_changes: continue
                if y.get(k) != v: print("csv", path, k, v, y.get(k)); bad += 1; break
    else:
        print("other file changed", path); bad += 1
print("problems:", bad, "files:", len(changed))
