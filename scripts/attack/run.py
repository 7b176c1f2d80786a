#!/usr/bin/python3
"""Runs the attack corpus (make_corpus.py) through ketaprint and classifies every case.

    /usr/bin/python3 scripts/attack/run.py CORPUS_DIR [--repo REPO] [--timeout 60] [--jobs 2] [--tsv FILE] [--only SUBSTR]
                                          [--known FILE]

Every command line runs in-process in a JVM (org.ketaprint.attack.AttackHarness, test scope, -Xmx1g), one case after
another, each with a time limit; the harness is restarted after a hang or an OutOfMemoryError and resumes. REPO must
be built (`mvn -B -q package -DskipTests`: target/classes, target/test-classes, target/lib). Then the outputs are
checked here (nibabel for images; bash for the generated SLURM scripts, with a fake launcher and a fake sbatch).

Classes (one per case):
  ok                  exit 0 and the output right (equal to nibabel's reading, the expected numbers, the argv)
  clean error         exit != 0, stderr one line (a run: every line) starting 'ketaprint:', no trace, naming
                      the file or the problem
  stack trace         a trace, 'internal error', an exception name, or a Throwable out of Main.run
  hang                more than the time limit (60 s)
  OOM                 an OutOfMemoryError out of Main.run
  silent difference   exit 0 but the output differs from the reference (or a generated script runs other commands)
  half written        exit != 0 but files of the refused output prefix were left (or a previous run's were changed)
and, reported beside them:
  accepted hostile    exit 0 on an input that must be refused (with plausible output)
  valid refused       a valid input (nibabel reads it, nothing odd in it) refused, cleanly
  unclear error       exit != 0 without a trace but not one 'ketaprint:' line naming the file or problem
  harness error       the suite itself failed on the case
Prints one summary line, writes a TSV of every case (--tsv, default CORPUS_DIR/attack.tsv) and exits 1 when any
of stack traces, hangs, OOM, silent differences, valid refused or harness errors is non-zero. --known FILE lists
case ids (first column of a TSV; '#' comments) whose failure is known and being fixed: they are still counted in
the summary, marked 'known' in the TSV, and do not make the exit status 1.
"""
import glob
import json
import math
import os
import shlex
import shutil
import subprocess
import sys
import time

import numpy as np

MUST_BE_ZERO = ['stack trace', 'hang', 'OOM', 'silent difference', 'half written', 'valid refused', 'harness error']


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


CORPUS = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith('--') else sys.exit(__doc__)
REPO = os.path.abspath(arg('--repo', os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')))
TIMEOUT = float(arg('--timeout', '60'))
JOBS = int(arg('--jobs', '2'))
TSV = arg('--tsv', os.path.join(CORPUS, 'attack.tsv'))
ONLY = arg('--only', None)
JAVA_OPTS = arg('--java-opts', '-Xmx1g').split()
KNOWN = arg('--known', None)


# ---------------------------------------------------------------- running the harness

def classpath():
    t = os.path.join(REPO, 'target')
    for d in ('classes', 'test-classes', 'lib'):
        if not os.path.isdir(os.path.join(t, d)):
            sys.exit('attack: %s/%s missing: build first with mvn -B -q package -DskipTests' % (t, d))
    return ':'.join([os.path.join(t, 'classes'), os.path.join(t, 'test-classes'), os.path.join(t, 'lib', '*')])


def run_shard(shard_cases, n):
    """Runs the cases through one harness JVM (restarted after hangs, OOM and deaths); returns {id: result}."""
    base = os.path.join(CORPUS, 'shard%d' % n)
    cases_file, results_file = base + '.cases.jsonl', base + '.results.jsonl'
    with open(cases_file, 'w') as f:
        for c in shard_cases:
            f.write(json.dumps({'id': c['id'], 'steps': c['steps'], 'timeout': TIMEOUT}) + '\n')
    if os.path.exists(results_file):
        os.remove(results_file)
    sandbox = os.path.join(CORPUS, 'cwd%d' % n)
    os.makedirs(sandbox, exist_ok=True)
    cmd = ['java'] + JAVA_OPTS + ['--add-modules', 'jdk.incubator.vector', '-XX:+UseSerialGC', '-cp', classpath(),
                                  'org.ketaprint.attack.AttackHarness', cases_file, results_file, str(TIMEOUT)]
    return subprocess.Popen(cmd, cwd=sandbox, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True), \
        (cmd, sandbox, results_file)


def read_results(results_file):
    out = {}
    if os.path.exists(results_file):
        with open(results_file) as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    out[r['id']] = r
    return out


def run_all(cases):
    shards = [[] for _ in range(JOBS)]
    k = 0
    for c in cases:
        if c['group'] == 'skip-existing':   # they share one dataset: one shard, in order
            shards[0].append(c)
        else:
            shards[k % JOBS].append(c)
            k += 1
    running = [run_shard(s, i) for i, s in enumerate(shards)]
    results = {}
    restarts = 0
    while running:
        still = []
        for p, (cmd, sandbox, rf) in running:
            rc = p.wait()
            err = p.stderr.read()
            if rc == 0:
                results.update(read_results(rf))
                continue
            cur = rf + '.current'
            if rc not in (3, 4) and os.path.exists(cur):   # the JVM died on a case: record it and go on
                cid = open(cur).read()
                with open(rf, 'a') as f:
                    f.write(json.dumps({'id': cid, 'kind': 'died', 'jvm_exit': rc,
                                        'steps': [{'kind': 'died', 'exit': rc, 'seconds': 0, 'stdout': '',
                                                   'stderr': err[-4000:]}]}) + '\n')
            elif rc not in (3, 4):
                sys.exit('attack: the harness failed (exit %d): %s' % (rc, err[-2000:]))
            restarts += 1
            still.append((subprocess.Popen(cmd, cwd=sandbox, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                           text=True), (cmd, sandbox, rf)))
        running = still
    return results, restarts


# ---------------------------------------------------------------- classification helpers

TRACE_WORDS = ('internal error', '\tat ', 'Exception', 'Error:', 'at org.', 'at java.')


def has_trace(text):
    return any(w in text for w in TRACE_WORDS)


def is_run(args):
    return bool(args) and (args[0] == 'run' or (len(args) > 2 and args[2] in ('participant', 'group')))


def stem(p):
    b = os.path.basename(p)
    for ext in ('.gz', '.nii', '.hdr', '.img', '.mgh', '.mgz', '.yaml'):
        if b.endswith(ext):
            b = b[:-len(ext)]
    return b


def error_quality(c, step, args):
    """'clean' or 'unclear: why' for a non-zero exit without a trace.

    Clean: one line 'ketaprint: ...' naming the hostile file (its path, name or stem) or some file of the case;
    'ketaprint: warning:' lines before it are allowed; a run may print one 'ketaprint:' line per subject-session;
    validate-pipeline prints one 'FILE: line N: ...' line per problem; a usage error is picocli's message + usage."""
    lines = [l for l in step['stderr'].splitlines() if l.strip()]
    if not lines:
        return 'unclear: nothing on stderr'
    picocli = ('Usage: ketaprint', 'Unmatched argument', 'Unknown option', 'Missing required', 'Invalid value')
    if step['exit'] == 2 and lines[0].startswith(picocli):
        return 'clean'
    if is_run(args):
        bad = [l for l in lines if not l.startswith('ketaprint:')]
        return 'clean' if not bad else 'unclear: a line without ketaprint: prefix: ' + bad[0][:100]
    names = c.get('names')
    if args and args[0] == 'validate-pipeline' and names:
        bad = [l for l in lines if not (l.startswith(names + ': ') or l.startswith('ketaprint: '))]
        if not bad:
            return 'clean' if any(names in l for l in lines) else 'unclear: does not name %s' % os.path.basename(names)
        return 'unclear: a line neither "ketaprint:" nor "FILE: ...": ' + bad[0][:100]
    errs = [l for l in lines if not l.startswith('ketaprint: warning:')]
    if len(errs) != 1:
        return 'unclear: %d lines on stderr' % len(lines)
    line = errs[0]
    if not line.startswith('ketaprint: '):
        return 'unclear: no ketaprint: prefix'
    if names and not any(x in line for x in (names, os.path.basename(names), stem(names))) and CORPUS not in line:
        return 'unclear: does not name %s' % os.path.basename(names)
    return 'clean'


def close(a, b, rtol, atol=0.0):
    if a is None or b is None:
        return a is None and b is None
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        return False
    return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def num(v):
    return float('nan') if v is None else float(v)


def compare_stats(got, ref, rtol):
    """Differences between a {shape, affine, zooms, nonfinite, sum, min, max, mean} record and nibabel's."""
    bad = []
    if list(got.get('shape', [])) != ref['shape']:
        bad.append('shape %s vs nibabel %s' % (got.get('shape'), ref['shape']))
        return bad
    scale = max(1.0, float(np.nanmax(np.abs(np.nan_to_num(np.asarray(ref['affine'], float), posinf=0, neginf=0)))))
    if not close(got.get('affine'), ref['affine'], 0, 1e-5 * scale):
        bad.append('affine %s vs nibabel %s' % (np.asarray(got.get('affine'), float).round(4).tolist(),
                                                np.asarray(ref['affine'], float).round(4).tolist()))
    if 'nonfinite' in got and got['nonfinite'] != ref['nonfinite']:
        bad.append('non-finite voxels %s vs nibabel %s' % (got['nonfinite'], ref['nonfinite']))
    mag = max(abs(num(ref['min'])) if ref['min'] is not None else 0, abs(num(ref['max'])) if ref['max'] is not None else 0, 1e-300)
    n = float(np.prod(ref['shape'])) if ref['shape'] else 1.0
    for k in ('min', 'max', 'mean'):
        if k in got and not close(num(got[k]) if got[k] is not None else None, ref[k], rtol, rtol * mag):
            bad.append('%s %s vs nibabel %s' % (k, got[k], ref[k]))
    if 'sum' in got and not close(got['sum'], ref['sum'], rtol, rtol * mag * n):
        bad.append('sum %s vs nibabel %s' % (got['sum'], ref['sum']))
    return bad


# ---------------------------------------------------------------- checks on exit-0 outputs

def check_info(c, steps):
    try:
        recs = json.loads(steps[-1]['stdout'])
    except ValueError as e:
        return 'diff', 'info --json is not JSON: %s' % e
    r = recs[0] if isinstance(recs, list) else recs
    ref = c['ref']
    bad = compare_stats(r, ref, 1e-7)
    zooms = r.get('zooms')
    if zooms is not None and not close(zooms, ref['zooms'], 1e-6, 1e-12):
        bad.append('zooms %s vs nibabel %s' % (zooms, ref['zooms']))
    if c['expect'] == 'valid' and r.get('datatype') != ref['datatype']:
        bad.append('datatype %s vs nibabel %s' % (r.get('datatype'), ref['datatype']))
    return ('diff', '; '.join(bad)) if bad else ('ok', '')


def check_convert(c, steps):
    import nibabel as nib
    o = c['output']
    if not os.path.isfile(o):
        return 'diff', 'exit 0 but no output file %s' % o
    try:
        img = nib.load(o)
        d = np.asarray(img.get_fdata(), float)
    except Exception as e:  # noqa: BLE001
        return 'diff', 'nibabel cannot read the output: %s' % e
    fin = np.isfinite(d)
    got = {'shape': list(img.shape), 'affine': img.affine.tolist(), 'nonfinite': int((~fin).sum()),
           'sum': float(d[fin].sum()), 'min': float(d[fin].min()) if fin.any() else None,
           'max': float(d[fin].max()) if fin.any() else None, 'mean': float(d[fin].mean()) if fin.any() else None}
    ref = dict(c['ref'])
    bad = compare_stats(got, ref, 2e-7)
    return ('diff', 'converted output: ' + '; '.join(bad)) if bad else ('ok', '')


def check_labels(c, steps):
    try:
        rows = json.loads(steps[-1]['stdout'])
    except ValueError as e:
        return 'diff', 'not JSON: %s' % e
    got = {str(int(r['label'])): int(r['voxels']) for r in rows if int(r.get('voxels', 0)) or str(int(r['label'])) in c['ref']['labels']}
    want = c['ref']['labels']
    bad = ['label %s: %s voxels vs %s' % (k, got.get(k), v) for k, v in want.items() if got.get(k) != v]
    extra = [k for k in got if k not in want and got[k]]
    if extra:
        bad.append('labels not in the image: %s' % extra)
    return ('diff', '; '.join(bad)) if bad else ('ok', '')


def read_tsv(p):
    with open(p, newline='') as f:
        text = f.read()
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    rows = [l.split('\t') for l in lines]
    return rows


def tsv_consistent(p):
    rows = read_tsv(p)
    return all(len(r) == len(rows[0]) for r in rows), rows


def check_group_clinical(c, steps):
    f = os.path.join(c['out'], 'group', 'features.tsv')
    if not os.path.isfile(f):
        return 'diff', 'exit 0 but no group/features.tsv'
    ok, rows = tsv_consistent(f)
    if not ok:
        return 'diff', 'group/features.tsv rows have different numbers of columns'
    head = rows[0]
    if 'madrs_pct_change' not in head:
        col = None
    else:
        col = head.index('madrs_pct_change')
    warned = any('participants.tsv' in l for l in steps[-1]['stderr'].splitlines())
    for pid, want in c['want'].items():
        vals = [r[col] if col is not None else 'n/a' for r in rows[1:] if r[0] == pid]
        if not vals:
            return 'diff', '%s has no row in group/features.tsv' % pid
        if want == 'na':
            if any(v != 'n/a' for v in vals):
                return ('hostile' if c['expect'] == 'refuse' else 'diff'), \
                    '%s madrs_pct_change %s, wanted n/a' % (pid, vals[0])
            if c['expect'] == 'refuse' and not warned:
                return 'hostile', '%s gets n/a silently (no warning naming participants.tsv)' % pid
        else:
            if any(v == 'n/a' or not math.isclose(float(v), want, rel_tol=1e-9) for v in vals):
                return 'diff', '%s madrs_pct_change %s, wanted %s' % (pid, vals[0], want)
    if c['expect'] == 'refuse' and not c['want'] and not warned:
        return 'hostile', 'accepted without a warning naming participants.tsv'
    return 'ok', ''


def check_run_failed(c, steps):
    """A session whose input is hostile must not get a value from it (n/a, the stage failed or had no input)."""
    f = os.path.join(c['out'], 'sub-01', 'ses-pre', 'sub-01_ses-pre_features.tsv')
    if not os.path.isfile(f):
        return 'ok', ''
    rows = read_tsv(f)
    col = 'hippocampus_l_vol_mm3'
    if col in rows[0] and len(rows) > 1 and rows[1][rows[0].index(col)] != 'n/a':
        return 'hostile', 'exit 0 and %s = %s from the hostile input' % (col, rows[1][rows[0].index(col)])
    return 'ok', ''


def check_no_control(c, steps):
    bad = []
    for d, dirs, files in os.walk(c['out']):
        for n in dirs + files:
            if any(ord(ch) < 32 or ord(ch) == 127 for ch in n):
                bad.append(repr(n))
    for p in glob.glob(os.path.join(c['out'], 'group', '*.tsv')):
        if not tsv_consistent(p)[0]:
            bad.append('%s: ragged rows' % os.path.basename(p))
    return ('hostile', 'control characters reach the outputs: ' + ', '.join(bad[:3])) if bad else ('ok', '')


def check_skip(c, steps):
    f = os.path.join(c['out'], c['features'])
    if not os.path.isfile(f):
        return 'diff', 'no %s after the second run' % c['features']
    rows = read_tsv(f)
    col = c['column'] if c['column'] in rows[0] else 'hippocampus_l_vol_mm3'
    if col not in rows[0]:
        return 'diff', 'no column %s in %s' % (col, rows[0])
    v = rows[1][rows[0].index(col)]
    if v == 'n/a' or not math.isclose(float(v), c['want'], rel_tol=1e-9):
        return 'diff', 'after --skip-existing %s = %s, wanted %s (stale outputs kept)' % (col, v, c['want'])
    return 'ok', ''


def check_point(c, steps):
    lines = [l for l in steps[-1]['stdout'].splitlines() if l.strip()]
    if not lines:
        return 'diff', 'no output'
    for l in lines:
        got = [float(x) for x in l.split()]
        if not close(got, c['want'], 0, 1e-6):
            return 'diff', 'point %s, wanted %s' % (got, c['want'])
    return 'ok', ''


def pwned_files():
    hits = []
    for d, dirs, files in os.walk(CORPUS):
        hits += [os.path.join(d, n) for n in files + dirs if n == 'PWNED']
    return hits


def check_slurm(c, steps):
    """Runs the written scripts with bash: a fake launcher records argv; a fake sbatch runs the printed hint."""
    for p in pwned_files():
        os.remove(p)
    dirs = sorted(glob.glob(os.path.join(glob.escape(c['out']), 'slurm', '*', '')))
    if not dirs:
        return 'diff', 'exit 0 but no OUTPUT_DIR/slurm/<time>/'
    d = dirs[-1]
    psb, gsb, lst = (os.path.join(d, n) for n in ('participant.sbatch', 'group.sbatch', 'participants.txt'))
    rec = os.path.join(os.path.dirname(c['out']), 'calls')
    shutil.rmtree(rec, ignore_errors=True)
    os.makedirs(rec)
    sandbox = os.path.join(os.path.dirname(c['out']), 'sandbox')
    os.makedirs(sandbox, exist_ok=True)
    env = dict(os.environ, ATTACK_RECORD=rec)
    env.pop('KETAPRINT_JAVA_OPTS', None)
    problems = []
    n = len(open(lst, newline='').read().split('\n')) - 1 if os.path.exists(lst) else 0
    for i in range(1, n + 1):
        subprocess.run(['bash', psb], cwd=sandbox, env=dict(env, SLURM_ARRAY_TASK_ID=str(i)), capture_output=True, timeout=30)
    calls = []
    for k in range(len(os.listdir(rec))):
        with open(os.path.join(rec, 'call%d' % k), 'rb') as f:
            calls.append([a.decode('utf-8', 'replace') for a in f.read().split(b'\0')[:-1]])

    def has_opt(call, opt, val):
        return any((call[j] == opt and j + 1 < len(call) and call[j + 1] == val) or call[j] == opt + '=' + val
                   for j in range(len(call)))

    if len(calls) != n:
        problems.append('%d participant tasks ran the launcher %d times' % (n, len(calls)))
    for call in calls:
        if c['bids'] not in call or c['out'] not in call or 'participant' not in call:
            problems.append('participant task argv %s lacks the BIDS/output folder as given' % call[:3])
            break
        if not has_opt(call, '--pipeline', c['pipeline']):
            problems.append('participant task argv lacks --pipeline as given')
            break
        if c.get('atlas') and not has_opt(call, '--atlas-dir', c['atlas']):
            problems.append('participant task argv lacks --atlas-dir as given')
            break
    if c.get('labels'):
        got = sorted(call[call.index('--participant-label') + 1] for call in calls if '--participant-label' in call)
        if got != sorted(c['labels']):
            problems.append('participant labels %s, wanted %s' % (got, c['labels']))
    # group script: with a failure listed, it prints the resubmit command
    os.makedirs(os.path.join(c['out'], 'group'), exist_ok=True)
    with open(os.path.join(c['out'], 'group', 'failures.tsv'), 'w') as f:
        f.write('participant_id\tsession_id\tstage\tstatus\treason\nsub-01\tses-pre\tstructural\tfailed\tx\n')
    shutil.rmtree(rec)
    os.makedirs(rec)
    g = subprocess.run(['bash', gsb], cwd=sandbox, env=env, capture_output=True, timeout=30, text=True, errors='replace')
    gcalls = os.listdir(rec)
    if len(gcalls) != 1:
        problems.append('group script ran the launcher %d times' % len(gcalls))
    else:
        with open(os.path.join(rec, gcalls[0]), 'rb') as f:
            call = [a.decode('utf-8', 'replace') for a in f.read().split(b'\0')[:-1]]
        if c['bids'] not in call or c['out'] not in call or 'group' not in call:
            problems.append('group argv %s lacks the BIDS/output folder as given' % call[:3])
    lines = g.stdout.split('\n')
    hint = None
    for j, l in enumerate(lines):
        if 'to rerun only the failed or missing ones' in l and j + 1 < len(lines):
            hint = '\n'.join(lines[j + 1:]).strip()
    if hint is None:
        problems.append('group script printed no resubmit command')
    else:
        try:
            words = shlex.split(hint)
            if c['bids'] not in words or c['out'] not in words or '--resubmit-failed' not in words:
                problems.append('resubmit hint parses to %s' % words[:4])
        except ValueError as e:
            problems.append('resubmit hint is not valid shell: %s' % e)
    # the printed sbatch commands, run with a fake sbatch
    out = steps[-1]['stdout'].split('\n')
    sub = next((out[j + 1] for j, l in enumerate(out) if l.startswith('Submit with') and j + 1 < len(out)), None)
    if sub is None:
        problems.append('no "Submit with:" command printed')
    else:
        fb = os.path.join(os.path.dirname(c['out']), 'fakebin')
        os.makedirs(fb, exist_ok=True)
        with open(os.path.join(fb, 'sbatch'), 'w') as f:
            f.write('#!/bin/bash\nprintf "%s\\0" "$@" >> "$ATTACK_RECORD/sbatch"\nprintf "\\n" >> "$ATTACK_RECORD/sbatch"\necho 4242\n')
        os.chmod(os.path.join(fb, 'sbatch'), 0o755)
        shutil.rmtree(rec)
        os.makedirs(rec)
        subprocess.run(['bash', '-c', sub], cwd=sandbox, env=dict(env, PATH=fb + ':' + env.get('PATH', '')),
                       capture_output=True, timeout=30)
        try:
            got = open(os.path.join(rec, 'sbatch'), 'rb').read().split(b'\0\n')
            got = [[a.decode() for a in x.split(b'\0')] for x in got if x]
        except OSError:
            got = []
        if len(got) != 2 or psb not in got[0] or gsb not in got[1] or not any(a.endswith(':4242') for a in got[1]):
            problems.append('the printed submit command runs sbatch with %s' % [x[-1:] for x in got])
    pw = pwned_files()
    if pw:
        problems.insert(0, 'a generated script ran an injected command (created %s)' % os.path.relpath(pw[0], CORPUS))
        for p in pw:
            os.remove(p)
    if problems:
        return 'diff', '; '.join(problems)
    return ('hostile' if c['expect'] == 'refuse' else 'ok'), ''


# ---------------------------------------------------------------- glm: the maps, the design, leftovers

GLM_STATS = ('effect', 'variance', 't', 'z', 'p')


def sandbox_path(p):
    """A path as the harness saw it (relative ones from CORPUS/cwdN; the corpus makes them from cwd0)."""
    return os.path.normpath(p if os.path.isabs(p) else os.path.join(CORPUS, 'cwd0', p))


def glm_expected(prefix, labels, ext, ar1):
    fs = [prefix + '_design.tsv'] + [prefix + '_contrast-%s_stat-%s_statmap%s' % (l, s, ext) for l in labels for s in GLM_STATS]
    return fs + ([prefix + '_ar1' + ext] if ar1 else [])


def prefix_files(prefix):
    """Names in the prefix's folder that start with its name (or '.' + its name: temporary files)."""
    d, b = os.path.split(prefix)
    if not os.path.isdir(d):
        return []
    return sorted(n for n in os.listdir(d) if not b or n.startswith(b) or n.startswith('.' + b))


def load_map(p):
    import nibabel as nib
    img = nib.load(p)
    return img, np.asarray(img.get_fdata(), float)


def check_glm(c, steps):
    """exit 0: the JSON, every file it lists (and only those under the prefix), the design and the maps."""
    try:
        o = json.loads(steps[-1]['stdout'])
    except ValueError as e:
        return 'diff', 'glm --json is not JSON: %s' % e
    prefix = c['prefix']
    labels = [x['name'] for x in o.get('contrasts', [])]
    if c.get('labels') and labels != c['labels']:
        return 'diff', 'contrast labels %s, wanted %s' % (labels, c['labels'])
    if len(set(labels)) != len(labels):
        return 'diff', 'two contrasts share the label %s: the second overwrites the first\'s maps' % labels
    ext = c.get('ext', '.nii.gz')
    want = glm_expected(prefix, labels, ext, o.get('noise_model') == 'ar1')
    written = [sandbox_path(w) for w in o.get('written', [])]
    if sorted(map(os.path.normpath, want)) != sorted(written):
        return 'diff', 'written %s, wanted %s' % ([os.path.basename(w) for w in written], [os.path.basename(w) for w in want])
    missing = [w for w in want if not os.path.isfile(w)]
    if missing:
        return 'diff', 'exit 0 but no %s' % os.path.basename(missing[0])
    extra = set(prefix_files(prefix)) - {os.path.basename(w) for w in want}
    if extra:
        return 'diff', 'left beside the outputs: %s' % sorted(extra)[:3]
    ok, rows = tsv_consistent(want[0])
    if not ok or rows[0] != o.get('design_columns') or len(rows) != o.get('volumes', -1) + 1:
        return 'diff', 'design.tsv: %d rows, header %s (JSON: %s columns, %s volumes)' % (len(rows), rows[0][:4],
                                                                                       len(o.get('design_columns', [])), o.get('volumes'))
    try:
        x = np.array(rows[1:], float)
    except ValueError as e:
        return 'diff', 'design.tsv: %s' % e
    if not np.all(np.isfinite(x)):
        return 'diff', 'design.tsv has non-finite values'
    for w in want[1:]:
        try:
            img, a = load_map(w)
        except Exception as e:  # noqa: BLE001
            return 'diff', 'nibabel cannot read %s: %s' % (os.path.basename(w), e)
        if a.ndim != 3 or (c.get('shape') and list(a.shape) != c['shape']):
            return 'diff', '%s: shape %s' % (os.path.basename(w), a.shape)
        nm = os.path.basename(w)
        if int((~np.isfinite(a)).sum()) > c.get('nonfinite_ok', 0):
            return 'diff', '%s: %d non-finite voxels' % (nm, int((~np.isfinite(a)).sum()))
        if '_stat-p_' in nm and (a.min() < 0 or a.max() > 1):
            return 'diff', '%s: p outside [0, 1] (%g..%g)' % (nm, a.min(), a.max())
        if '_stat-variance_' in nm and a.min() < 0:
            return 'diff', '%s: negative variance %g' % (nm, a.min())
    for co in o.get('contrasts', []):
        for r in co.get('rois', []):
            if any(r.get(k) is None or not math.isfinite(r[k]) for k in ('beta', 'z', 't')):
                return 'diff', 'ROI %s of %s: %s' % (r.get('roi'), co.get('name'), r)
    return 'ok', ''


def same_outputs(prefix, ref, labels, ext, ar1):
    """Differences between the files of two prefixes (the design's text, the maps' values)."""
    for a, b in zip(glm_expected(prefix, labels, ext, ar1), glm_expected(ref, labels, ext, ar1)):
        if not os.path.isfile(a) or not os.path.isfile(b):
            return '%s missing' % os.path.basename(a if not os.path.isfile(a) else b)
        if a.endswith('.tsv'):
            if open(a, 'rb').read() != open(b, 'rb').read():
                return '%s differs from the reference run\'s' % os.path.basename(a)
            continue
        _, x = load_map(a)
        _, y = load_map(b)
        if x.shape != y.shape or not np.allclose(x, y, rtol=1e-12, atol=1e-300, equal_nan=True):
            return '%s differs from the reference run\'s (max |diff| %g)' % (
                os.path.basename(a), float(np.nanmax(np.abs(x - y))) if x.shape == y.shape else float('nan'))
    return None


def check_glm_same(c, steps):
    """exit 0 and the outputs equal to those of the reference run made first in the case."""
    v, why = check_glm(c, steps)
    if v != 'ok':
        return v, why
    o = json.loads(steps[-1]['stdout'])
    labels = [x['name'] for x in o['contrasts']]
    diff = same_outputs(c['prefix'], c['ref_prefix'], labels, c.get('ext', '.nii.gz'), o.get('noise_model') == 'ar1')
    if diff:
        return 'diff', diff
    r = json.loads(steps[0]['stdout'])
    if [x['rois'] for x in r['contrasts']] != [x['rois'] for x in o['contrasts']]:
        return 'diff', 'ROI values differ from the reference run\'s'
    return 'ok', ''


def half_written(c):
    """After a refusal: files of the output prefix that were not there before (c['keep'] were), or a previous run's files
    that no longer equal the reference run's."""
    prefix = c.get('prefix')
    if not prefix:
        return None
    keep = set(c.get('keep', []))
    left = [n for n in prefix_files(prefix) if n not in keep]
    if left:
        return 'refused, but left %s' % ', '.join(left[:3])
    if c.get('ref_prefix') and keep:
        diff = same_outputs(prefix, c['ref_prefix'], c['labels'], c.get('ext', '.nii.gz'), True)
        if diff:
            return 'refused, but the first run\'s outputs changed: ' + diff
    return None


def check_task_run(c, steps):
    """A valid task pipeline: the features are numbers."""
    f = os.path.join(c['out'], 'sub-01', 'ses-pre', 'sub-01_ses-pre_features.tsv')
    if not os.path.isfile(f):
        return 'diff', 'exit 0 but no sub-01_ses-pre_features.tsv'
    rows = read_tsv(f)
    for col in c['columns']:
        if col not in rows[0]:
            return 'diff', 'no column %s' % col
        v = rows[1][rows[0].index(col)]
        try:
            if not math.isfinite(float(v)):
                raise ValueError
        except ValueError:
            return 'diff', '%s = %s' % (col, v)
    return 'ok', ''


def check_task_na(c, steps):
    """Events or a contrast the stage cannot model: the contrast's features are n/a (or the run fails)."""
    f = os.path.join(c['out'], 'sub-01', 'ses-pre', 'sub-01_ses-pre_features.tsv')
    if not os.path.isfile(f):
        return 'ok', ''
    rows = read_tsv(f)
    for col in c['columns']:
        if col in rows[0] and len(rows) > 1 and rows[1][rows[0].index(col)] != 'n/a':
            return 'hostile', 'exit 0 and %s = %s' % (col, rows[1][rows[0].index(col)])
    return 'ok', ''


def check_exists(rel):
    def f(c, steps):
        return 'ok', ''
    return f


CHECKS = {'info': check_info, 'convert': check_convert, 'volumes': check_labels, 'roistats': check_labels,
          'group_clinical': check_group_clinical, 'run_failed': check_run_failed, 'no_control_chars': check_no_control,
          'skip': check_skip, 'point': check_point, 'points_file': check_point, 'slurm': check_slurm,
          'run': check_exists('features'), 'group': check_exists('group'), 'glm': check_glm,
          'glm_same': check_glm_same, 'task_run': check_task_run, 'task_na': check_task_na}


def scan_logs(out):
    """Traces in a run's logs, provenance and failures.tsv."""
    if not out or not os.path.isdir(out):
        return None
    for p in glob.glob(os.path.join(glob.escape(out), '**', '*'), recursive=True):
        if p.endswith(('_log.txt', '_provenance.json', 'failures.tsv')) and os.path.isfile(p):
            with open(p, errors='replace') as f:
                t = f.read()
            for w in ('internal error', '\tat org.', 'Exception', 'Error:'):
                if w in t:
                    line = next(l for l in t.splitlines() if w in l)
                    return '%s: %s' % (os.path.basename(p), line.strip()[:160])
    return None


def classify(c, r):
    """(class, reason, first stderr line, exit, seconds)."""
    if r is None:
        return 'harness error', 'no result', '', '', 0
    if r['kind'] == 'harness':
        return 'harness error', r.get('error', ''), '', '', 0
    steps = r['steps']
    cmd_steps = [s for s in c['steps'] if 'args' in s]
    secs = sum(s['seconds'] for s in steps)
    # the step that decides: the first that did not exit 0, else the last
    k = next((i for i, s in enumerate(steps) if s['kind'] != 'done' or s['exit'] != 0), len(steps) - 1)
    s = steps[k]
    args = cmd_steps[k]['args'] if k < len(cmd_steps) else []
    first = next((l for l in s['stderr'].splitlines() if l.strip()), '')
    if s['kind'] == 'hang':
        return 'hang', 'no answer after %g s: %s' % (TIMEOUT, ' '.join(args)[:150]), first, '', secs
    if s['kind'] == 'oom':
        return 'OOM', 'OutOfMemoryError out of Main.run', first, '', secs
    if s['kind'] in ('throwable', 'died'):
        t = next((l for l in s['stderr'].splitlines() if 'Error' in l or 'Exception' in l), first)
        return 'stack trace', 'a Throwable out of Main.run: %s' % t.strip()[:200], first, '', secs
    for st in steps:
        if has_trace(st['stderr']) or '\tat ' in st['stdout']:
            line = next((l for l in st['stderr'].splitlines() if has_trace(l)), first)
            return 'stack trace', line.strip()[:200], first, st['exit'], secs
    if is_run(args) or c['group'] in ('dataset', 'participants.tsv', 'skip-existing'):
        t = scan_logs(c.get('out') or next((a for a in args[2:3]), None))
        if t:
            return 'stack trace', 'in the run outputs: ' + t, first, s['exit'], secs
    if s['exit'] != 0:
        hw = half_written(c) if k == len(steps) - 1 else None   # (an earlier step refused: not the output under test)
        if hw:
            return 'half written', hw, first, s['exit'], secs
        q = error_quality(c, s, args)
        if q != 'clean':
            return 'unclear error', q[len('unclear: '):], first, s['exit'], secs
        if c['expect'] == 'valid':
            return 'valid refused', 'a valid input refused', first, s['exit'], secs
        return 'clean error', '', first, s['exit'], secs
    # exit 0
    chk = CHECKS.get(c.get('check') or '')
    verdict, why = ('ok', '')
    if chk:
        try:
            verdict, why = chk(c, steps)
        except Exception as e:  # noqa: BLE001 - a check that breaks is the suite's fault
            return 'harness error', 'check %s failed: %s: %s' % (c['check'], type(e).__name__, e), first, 0, secs
    if c['expect'] == 'refuse' and c.get('check') in ('info', 'convert'):
        # a file that must be refused: reading it at all is the finding, whatever nibabel makes of it
        return 'accepted hostile', 'exit 0' + (' (and %s)' % why if verdict == 'diff' else ''), first, 0, secs
    if verdict == 'diff':
        return 'silent difference', why, first, 0, secs
    if verdict == 'hostile' or (c['expect'] == 'refuse' and not chk):
        return 'accepted hostile', why or 'exit 0', first, 0, secs
    if c['expect'] == 'refuse' and verdict == 'ok' and c.get('check') not in ('slurm', 'group_clinical', 'run_failed', 'task_na'):
        return 'accepted hostile', 'exit 0', first, 0, secs
    return 'ok', '', first, 0, secs


def main():
    t0 = time.time()
    with open(os.path.join(CORPUS, 'cases.json')) as f:
        cases = json.load(f)['cases']
    if ONLY:
        cases = [c for c in cases if ONLY in c['id']]
    known = set()
    if KNOWN:
        with open(KNOWN) as f:
            known = {l.split('\t')[0].strip() for l in f if l.strip() and not l.startswith('#')}
    results, restarts = run_all(cases)
    counts = {k: 0 for k in ['clean error', 'ok'] + MUST_BE_ZERO + ['accepted hostile', 'unclear error']}
    rows = []
    unknown_failures = known_failures = 0
    for c in cases:
        cls, why, first, code, secs = classify(c, results.get(c['id']))
        counts[cls] += 1
        mark = ''
        if cls in MUST_BE_ZERO:
            if c['id'] in known:
                known_failures += 1
                mark = 'known'
            else:
                unknown_failures += 1
        elif c['id'] in known:
            mark = 'fixed'
        rows.append((c['id'], c['group'], c['expect'], cls, mark, str(code), '%.2f' % secs, c.get('owner', ''),
                     why.replace('\t', ' ').replace('\n', ' '), first.replace('\t', ' ')[:300]))
    with open(TSV, 'w') as f:
        f.write('case\tgroup\texpect\tclass\tknown\texit\tseconds\towner\treason\tfirst_stderr_line\n')
        for r in rows:
            f.write('\t'.join(r) + '\n')
    fixed = sum(1 for r in rows if r[4] == 'fixed')
    print('attack: %d cases, %d clean errors, %d ok, %d stack traces, %d hangs, %d OOM, %d silent differences, '
          '%d half-written outputs (%d accepted hostile inputs, %d valid inputs refused, %d unclear errors, %d harness errors%s; %.0f s, %d restarts; %s)'
          % (len(cases), counts['clean error'], counts['ok'], counts['stack trace'], counts['hang'], counts['OOM'],
             counts['silent difference'], counts['half written'], counts['accepted hostile'], counts['valid refused'], counts['unclear error'],
             counts['harness error'],
             '; %d failures known (%s), %d known cases now pass' % (known_failures, os.path.basename(KNOWN), fixed) if KNOWN else '',
             time.time() - t0, restarts, TSV))
    sys.exit(1 if unknown_failures else 0)


if __name__ == '__main__':
    main()
