#!/usr/bin/env bash
# model.json has the same bytes whatever the CPU's features: the fit's sums
# run in a fixed order (dense.h) and its exp/log are the library's own
# (fixed_math.h), so neither the BLAS's kernel choice (OPENBLAS_CORETYPE,
# should a BLAS ever be linked in) nor glibc's choice of its FMA or plain
# libm variants (switched off here through GLIBC_TUNABLES) moves a digit.
# With glibc's own exp and log1p, the second run below differed in every
# estimate's last digits.
set -euo pipefail
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mql-gen --contacts 4000 --seed 17 -o "$T/h" --quiet
fit() {
	env "$@" mql-fit "$T/h/contacts.csv" "$T/h/events.csv" --rules "$T/h/rules.json" \
		--holdout-from 2025-07-01 -q -o - $auto
}
auto=""
fit X=1 >"$T/base.json"
[ -s "$T/base.json" ] || fail "no model"
i=0
for setting in \
	"GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA,-AVX512F" \
	"GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2_Usable,-FMA_Usable,-AVX_Usable" \
	"OPENBLAS_CORETYPE=Prescott" "OPENBLAS_CORETYPE=Haswell" \
	"OPENBLAS_CORETYPE=SkylakeX"; do
	i=$((i + 1))
	fit "$setting" >"$T/run$i.json"
	cmp -s "$T/base.json" "$T/run$i.json" || fail "model.json differs under $setting"
done
# The joint fit of weights and half-lives (its Newton steps, polish and
# profile intervals) uses the same exp and log: same bytes under glibc's
# variants too.  Which variants differ in the last bit depends on the CPU
# and the inputs, so on some machines this passes with libm's functions.
auto="--half-lives auto"
fit X=1 >"$T/base-auto.json"
grep -q '"half_life_ci_low"\|"ci_high"' "$T/base-auto.json" || fail "no half-life intervals"
for setting in "GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA,-AVX512F" \
	"GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2_Usable,-FMA_Usable,-AVX_Usable"; do
	fit "$setting" >"$T/auto.json"
	cmp -s "$T/base-auto.json" "$T/auto.json" || fail "the joint fit's model.json differs under $setting"
done
echo ok
