# Interleaved runs of the three system-layer programs (run.sh): median wall and CPU time.
import os, sys, time, statistics, subprocess
R="x86_64-unknown-linux-musl/release"
bins={k: f"{k}/target/{R}/m_{k}" for k in ("libc", "nix", "rustix")}
mode, d, n, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
extra = sys.argv[5:]  # extra "name=path:mode"
jobs=[(k,v,mode) for k,v in bins.items()]
for e in extra:
    k,rest=e.split("=",1); p,m=rest.split(":"); jobs.append((k,p,m))
res={k:([],[]) for k,_,_ in jobs}
for r in range(rounds):
    for k,p,m in jobs:
        t=time.perf_counter()
        pid=os.spawnv(os.P_NOWAIT,p,[p,m,d,n]) if False else subprocess.Popen([p,m,d,n],stdout=subprocess.DEVNULL).pid
        _,st,ru=os.wait4(pid,0)
        w=time.perf_counter()-t
        res[k][0].append(w); res[k][1].append(ru.ru_utime+ru.ru_stime)
for k,(w,c) in res.items():
    print(f"{k:16s} wall median {statistics.median(w):.3f}s  cpu(user+sys) median {statistics.median(c):.3f}s  min cpu {min(c):.3f}s")
