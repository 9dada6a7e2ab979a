#!/usr/bin/env bash
# End-to-end test of csvgate as a pre-commit hook, with the real pre-commit from PyPI.
#
# 1. `pre-commit validate-manifest` on the repository's .pre-commit-hooks.yaml.
# 2. A throwaway git repository whose .pre-commit-config.yaml holds a `repo: local`
#    copy of the manifest's `csvgate` hook (same files, pass_filenames, require_serial),
#    run with the already-built target/release/csvgate instead of pre-commit's `rust`
#    language (which would `cargo install` csvgate again).
# 3. A bad CSV must block the commit, with the finding in the output; a good CSV
#    (with a non-CSV file beside it) must be committed.
#
# Needs: git, python3 (with venv), network to PyPI, and `cargo build --release` done.
# Exits non-zero on any unexpected outcome.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
csvgate="$root/target/release/csvgate"
manifest="$root/.pre-commit-hooks.yaml"
start=$(date +%s)

fail() {
  echo "pre-commit-e2e: FAIL: $*" >&2
  exit 1
}
step() { echo "pre-commit-e2e: $*"; }

[ -x "$csvgate" ] || fail "$csvgate is missing: run cargo build --release first"
[ -f "$manifest" ] || fail "$manifest is missing"

work="$(mktemp -d "${TMPDIR:-/tmp}/csvgate-pre-commit-e2e.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/pre-commit-home"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
# The throwaway repository must not see the caller's git identity or hooks.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1

step "installing pre-commit from PyPI into a virtualenv"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet pre-commit
pre_commit="$work/venv/bin/pre-commit"
step "using $("$pre_commit" --version)"

step "validating $manifest"
"$pre_commit" validate-manifest "$manifest" || fail "pre-commit validate-manifest rejects the manifest"

repo="$work/data"
git init --quiet "$repo"
cd "$repo"
git config user.name "csvgate e2e"
git config user.email "e2e@example.invalid"
git config commit.gpgsign false

# The local hook is the manifest's hook with the built binary as entry; its other
# fields come from the manifest itself, so the test follows the manifest.
"$work/venv/bin/python" - "$manifest" "$csvgate" > .pre-commit-config.yaml <<'PY'
import json, sys, yaml
manifest, binary = sys.argv[1], sys.argv[2]
hooks = yaml.safe_load(open(manifest))
hook = next(h for h in hooks if h["id"] == "csvgate")
assert hook["entry"] == "csvgate check", hook["entry"]
hook = dict(hook, language="system", entry=binary + " check --color never")
# JSON is YAML: no quoting questions for the regex or the path.
print(json.dumps({"repos": [{"repo": "local", "hooks": [hook]}]}, indent=2))
PY
step "hook config (repo: local, from the manifest):"
sed 's/^/    /' .pre-commit-config.yaml
"$pre_commit" validate-config .pre-commit-config.yaml || fail "the generated config is invalid"
"$pre_commit" install >/dev/null
git add .pre-commit-config.yaml
out="$(git commit --quiet -m "pre-commit config" 2>&1)" || fail "the config commit (no CSV staged) failed: $out"

# A bad CSV: the vendor's defects file (an invalid boolean, among others).
cp "$root/fixtures/formats/entitlements-upload/defects.csv" upload.csv
git add upload.csv
set +e
out="$(git commit -m "bad upload" 2>&1)"
status=$?
set -e
echo "$out" | sed 's/^/    | /'
[ "$status" -ne 0 ] || fail "a commit of a bad CSV succeeded"
[ "$(git rev-list --count HEAD)" -eq 1 ] || fail "a commit was created for the bad CSV"
echo "$out" | grep -q "csvgate" || fail "the output does not name the csvgate hook"
echo "$out" | grep -q "invalid-boolean" || fail "the output does not name the invalid-boolean finding"
echo "$out" | grep -q "upload.csv:3:15" || fail "the output does not point at upload.csv:3:15"
step "ok: the bad CSV was blocked (git commit exit $status), the finding is shown"

# A good CSV (upper-case extension: the files regex ignores case) and a file the hook
# must not look at.
git rm --cached --quiet upload.csv
rm upload.csv
cp "$root/fixtures/formats/entitlements-upload/clean.csv" UPLOAD.CSV
printf 'not,a "csv" file to check\n' > notes.txt
git add UPLOAD.CSV notes.txt
set +e
out="$(git commit -m "good upload" 2>&1)"
status=$?
set -e
echo "$out" | sed 's/^/    | /'
[ "$status" -eq 0 ] || fail "a commit of a good CSV failed (exit $status)"
[ "$(git rev-list --count HEAD)" -eq 2 ] || fail "no commit was created for the good CSV"
echo "$out" | grep -q "csvgate.*Passed" || fail "the csvgate hook did not run and pass"
git ls-files --error-unmatch UPLOAD.CSV notes.txt >/dev/null || fail "the files were not committed"
step "ok: the good CSV was committed"

step "all checks passed in $(($(date +%s) - start)) s"
