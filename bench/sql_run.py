#!/usr/bin/env python3
"""Runs a script of `juesuan sql --dialect ENGINE` on that engine and times its phases.

    bench/sql_run.py duckdb|datafusion|spark check.sql [--failures out.csv] [--cores N]
                     [--write-parquet DIR]

The script's `-- phase: load|consolidate|rules` lines split it; every statement is executed
in order and its wall time added to its phase. The last line printed is JSON:
{"engine", "seconds": {"load", "consolidate", "rules"}, "failures", "peak_rss_mib"}.
`--failures` writes `node,rule,b0,b1` (unbound as `-`), one line per failed instance;
`--write-parquet` (Spark, for a cluster) writes the failures table as Parquet to a path
Spark resolves (hdfs://, s3a://, file://).

DuckDB and DataFusion run in this process (their PyPI wheels); Spark in local mode with
`--cores` cores when run by python3, or on whatever master `spark-submit` gives it
(docs/scale.md has the command for a cluster).
"""
import argparse, json, os, re, resource, sys, time


def statements(text):
    """(phase, statement) in order; a statement ends with `;` at the end of a line."""
    phase, buf = "load", []
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("-- phase:"):
            phase = s.split(":", 1)[1].strip()
            continue
        if not buf and (not s or s.startswith("--")):
            continue
        buf.append(line)
        if s.endswith(";"):
            yield phase, "\n".join(buf).rstrip().rstrip(";")
            buf = []
    if buf and "".join(buf).strip():
        yield phase, "\n".join(buf)


def rss_mib(pid="self"):
    """Peak resident memory of a process (VmHWM), MiB."""
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


FAILURES = "SELECT node, rule, coalesce(b0, '-') AS b0, coalesce(b1, '-') AS b1 FROM failures"


def run(engine, script, cores):
    """Returns (seconds per phase, failure rows as tuples or None, count, peak RSS MiB, close)."""
    seconds = {"load": 0.0, "consolidate": 0.0, "rules": 0.0}
    if engine == "duckdb":
        import duckdb

        con = duckdb.connect()
        con.execute(f"SET threads = {cores}")
        con.execute("SET enable_progress_bar = false")  # it would print to stdout

        def execute(sql):
            con.execute(sql)

        def rows(sql):
            return con.execute(sql).fetchall()

        peak = lambda: rss_mib()
    elif engine == "datafusion":
        from datafusion import SessionConfig, SessionContext

        ctx = SessionContext(SessionConfig().with_target_partitions(cores))

        def execute(sql):
            ctx.sql(sql).collect()

        def rows(sql):
            out = []
            for batch in ctx.sql(sql).collect():
                cols = [c.to_pylist() for c in batch.columns]
                out.extend(zip(*cols))
            return out

        peak = lambda: rss_mib()
    elif engine == "spark":
        from pyspark.sql import SparkSession

        b = SparkSession.builder.appName("juesuan-sql")
        if "PYSPARK_GATEWAY_PORT" not in os.environ:
            # not under spark-submit: local mode on this machine
            b = (b.master(f"local[{cores}]")
                 .config("spark.driver.memory", os.environ.get("JUESUAN_SPARK_MEMORY", "12g"))
                 .config("spark.ui.enabled", "false")
                 .config("spark.ui.showConsoleProgress", "false")
                 .config("spark.sql.shuffle.partitions", str(4 * cores)))
        spark = b.getOrCreate()
        spark.sparkContext.setLogLevel("ERROR")

        cache = re.compile(r"CACHE TABLE (\w+) AS (.*)", re.S)

        def execute(sql):
            m = cache.fullmatch(sql.strip())
            if m is None:
                spark.sql(sql).collect()
                return
            # CACHE TABLE would keep each table's whole plan, and every later statement's
            # analysis would walk the chain of all of them (tens of seconds even on 1,000
            # units); a local checkpoint computes the table once, keeps it in executor memory
            # and cuts the lineage, which is what CACHE TABLE means in the script
            df = spark.sql(m.group(2)).localCheckpoint(eager=True)
            df.createOrReplaceTempView(m.group(1))

        def rows(sql):
            return [tuple(r) for r in spark.sql(sql).collect()]

        def peak():
            proc = getattr(spark.sparkContext._gateway, "proc", None)
            jvm = rss_mib(proc.pid) if proc is not None else 0
            return jvm + rss_mib()

        execute.spark = spark
    else:
        sys.exit(f"unknown engine {engine}")
    for phase, sql in statements(script):
        t0 = time.perf_counter()
        try:
            execute(sql)
        except Exception as e:  # name the statement: the engine's message alone rarely does
            sys.exit(f"{engine}: {e}\nin statement:\n{sql[:2000]}")
        dt = time.perf_counter() - t0
        seconds[phase] = seconds.get(phase, 0.0) + dt
        if os.environ.get("JUESUAN_SQL_VERBOSE"):
            print(f"{dt:8.3f}s {phase}: {' '.join(sql.split())[:100]}", file=sys.stderr, flush=True)
    return seconds, execute, rows, peak


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("engine", choices=["duckdb", "datafusion", "spark"])
    ap.add_argument("script")
    ap.add_argument("--failures")
    ap.add_argument("--write-parquet")
    ap.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    with open(a.script, encoding="utf-8") as f:
        script = f.read()
    t0 = time.perf_counter()
    seconds, execute, rows, peak = run(a.engine, script, a.cores)
    n = rows("SELECT count(*) FROM failures")[0][0]
    if a.failures:
        with open(a.failures, "w", encoding="utf-8") as f:
            for r in rows(FAILURES):
                f.write(",".join(str(x) for x in r) + "\n")
    if a.write_parquet:
        if a.engine != "spark":
            sys.exit("--write-parquet is for Spark")
        execute.spark.table("failures").write.mode("overwrite").parquet(a.write_parquet)
    print(json.dumps({
        "engine": a.engine,
        "seconds": {k: round(v, 3) for k, v in seconds.items()},
        "total": round(time.perf_counter() - t0, 3),
        "failures": n,
        "peak_rss_mib": round(peak()),
    }))


if __name__ == "__main__":
    main()
