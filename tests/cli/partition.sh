# Golden cases for partition: the documented hash worked by hand, shards
# that add up to the input (rows and money, checked by awk on the input),
# every member in one shard across claims and eligibility, shard sums that
# merge to the whole run's, and bad input.
. "$(dirname "$0")/../lib.sh"
export LC_ALL=C

case_ "the hash by hand: FNV-1a-32 of member_id, mod N"
# FNV-1a-32: h = 2166136261; per byte h = (h XOR byte) x 16777619 mod 2^32.
#   "A": (2166136261 XOR 65) = 2166136196; x 16777619 = 36342607798597324;
#        mod 2^32 = 3289118412 -> 3289118412 mod 3 = 0 (digit sum 36)
#   "M1" = 333416331 (mod 3: digit sum 27 -> 0), "M2" = 350193950 (digit
#   sum 35 -> 2), "M3" = 366971569 (digit sum 52 -> 1) (the same steps,
#   two bytes each; checked with python3 -c as in partition(1))
printf 'member_id\tclaim_id\tallowed\tpaid\nA\tC1\t10.00\t8.00\nM1\tC2\t1.10\t1.00\nM2\tC3\t2.20\t2.00\nM3\tC4\t3.30\t3.00\nM1\tC5\t-0.10\t0.00\n' >"$T/c.tsv"
run partition --shards 3 --extract hand -o "$T/s" "$T/c.tsv"
expect_status 0
# shard 0: A (10.00, 8.00) and M1 twice (1.10 - 0.10 = 1.00; 1.00):
#   rows 3, allowed 11.00, paid 9.00; shard 1: M3; shard 2: M2
expect_out <<'E'
shard	rows	allowed	paid
0	3	11.00	9.00
1	1	3.30	3.00
2	1	2.20	2.00
*	5	16.50	14.00
E
expect_eq "$(zcat "$T/s/0/c.tsv.gz" | cut -f2 | tr '\n' ' ')" "claim_id C1 C2 C5 " "shard 0 in input order"
expect_eq "$(zcat "$T/s/2/c.tsv.gz" | tail -n 1 | cut -f1)" M2 "shard 2"
expect_file "$T/s/1/c.shard" <<'E'
item	value
shard	1
shards	3
hash	fnv1a32(member_id) mod shards
extract	hand
rows	1
allowed	3.30
paid	3.00
E
done_case

S=$T/x
synth --members 2000 --seed 7 -o "$S"

case_ "a synthetic extract: the shards are the input, rows and money to the cent"
run partition --shards 4 -o "$T/p" "$S/claims.tsv"
expect_status 0
# the input's own totals, by awk on the digits: rows, allowed, paid
want=$(awk -F'\t' 'NR > 1 { n++; a = $13; p = $14; sub(/\./, "", a); sub(/\./, "", p); sa += a; sp += p }
	END { printf "%d\t%d.%02d\t%d.%02d", n, sa / 100, sa % 100, sp / 100, sp % 100 }' "$S/claims.tsv")
expect_eq "$(tail -n 1 "$T/out" | cut -f2-)" "$want" "the total row"
expect_eq "$(awk -F'\t' 'NR > 1 && $1 != "*" { n += $2 } END { print n }' "$T/out")" "${want%%	*}" "rows of the shards"
# the same lines, each once
{ for k in 0 1 2 3; do zcat "$T/p/$k/claims.tsv.gz" | tail -n +2; done; } | sort >"$T/union"
tail -n +2 "$S/claims.tsv" | sort | cmp -s - "$T/union" || bad "the shards' lines are not the input's"
for k in 0 1 2 3; do
	[ "$(zcat "$T/p/$k/claims.tsv.gz" | head -n 1)" = "$(head -n 1 "$S/claims.tsv")" ] || bad "shard $k header"
	[ "$(sed -n 's/^rows\t//p' "$T/p/$k/claims.shard")" = "$(zcat "$T/p/$k/claims.tsv.gz" | tail -n +2 | wc -l)" ] ||
		bad "shard $k label rows"
done
# M00000001: FNV-1a-32 = 3478111659 (python3 -c as above), mod 4 = 3
zcat "$T/p/3/claims.tsv.gz" | grep -q '^M00000001	' || bad "M00000001 is not in shard 3"
done_case

case_ "claims and eligibility: each member in one shard, the same in both"
run partition --shards 4 -o "$T/p" "$S/eligibility.tsv"
expect_status 0
for k in 0 1 2 3; do
	zcat "$T/p/$k/claims.tsv.gz" | tail -n +2 | cut -f1 | sed "s/\$/ $k/"
	zcat "$T/p/$k/eligibility.tsv.gz" | tail -n +2 | cut -f1 | sed "s/\$/ $k/"
done | sort -u >"$T/where"
expect_eq "$(cut -d' ' -f1 "$T/where" | uniq -d | wc -l)" 0 "members in two shards"
members() { cut -f1 | tail -n +2 | sort -u | wc -l; }
expect_eq "$(for k in 0 1 2 3; do zcat "$T/p/$k/eligibility.tsv.gz" | tail -n +2; done | cut -f1 | sort -u | wc -l)" "$(members <"$S/eligibility.tsv")" "eligible members placed"
done_case

case_ "per-shard claim sums merge to the whole run's, byte for byte"
cap-large-claims --sum-only --terms "$S/terms.tsv" "$S/claims.tsv" >"$T/whole.tsv"
for k in 0 1 2 3; do
	cap-large-claims --sum-only --terms "$S/terms.tsv" "$T/p/$k/claims.tsv.gz" >"$T/sums.$k" || bad "shard $k"
done
{ head -n 1 "$T/whole.tsv"; for k in 0 1 2 3; do tail -n +2 "$T/sums.$k"; done | sort -t "$(printf '\t')" -k1,1 -k2,2; } >"$T/merged.tsv"
cmp -s "$T/merged.tsv" "$T/whole.tsv" || bad "merged claim sums differ"
done_case

case_ "bad input: a bad amount, no member_id, bad options"
printf 'member_id\tallowed\nM1\t1.00\nM2\tten\nM3\t3.00\n' >"$T/bad.tsv"
run partition --shards 2 -o "$T/b" "$T/bad.tsv"
expect_status 65
expect_err "partition: $T/bad.tsv:3: column 'allowed' (2): invalid amount 'ten'"
run partition --shards 2 --rejects "$T/rej.tsv" --max-rejects 1 -o "$T/b" "$T/bad.tsv"
expect_status 0
# M1 FNV-1a mod 2 = 333416331 mod 2 = 1; M3 = 366971569 mod 2 = 1
expect_out <<'E'
shard	rows	allowed
0	0	0.00
1	2	4.00
*	2	4.00
E
printf 'member\tallowed\nM1\t1.00\n' >"$T/nomember.tsv"
run partition --shards 2 -o "$T/b" "$T/nomember.tsv"
expect_status 65
run partition --shards 0 -o "$T/b" "$T/c.tsv"
expect_status 64
run partition --shards 2 --name a/b -o "$T/b" "$T/c.tsv"
expect_status 64
expect_err "partition: --name: 'a/b' is not a file name"
done_case

case_ "--check: a whole set passes with the accounting partition wrote"
partition --shards 4 --extract x7 -o "$T/c" "$S/claims.tsv" >"$T/made.tsv"
run partition --check --shards 4 --extract x7 --name claims -o "$T/c"
expect_status 0
cmp -s "$T/out" "$T/made.tsv" || bad "the checked accounting differs from partition's"
done_case

case_ "--check refuses a shard twice, another partitioning or extract, an altered file"
cp -r "$T/c" "$T/twice" && rm -r "$T/twice/2" && cp -r "$T/twice/1" "$T/twice/2"
run partition --check --shards 4 --name claims -o "$T/twice"
expect_status 65
expect_err "partition: $T/twice/2/claims.shard: shard '1', not '2': a shard given twice, or moved"
run partition --check --shards 3 --name claims -o "$T/c"
expect_status 65
expect_err "partition: $T/c/3: a shard beyond 3: another partitioning's"
run partition --check --shards 4 --extract x8 --name claims -o "$T/c"
expect_status 65
expect_err "partition: $T/c/0/claims.shard: extract 'x7', not 'x8': another extract"
cp -r "$T/c" "$T/cut" && zcat "$T/c/3/claims.tsv.gz" | sed '$d' | gzip >"$T/cut/3/claims.tsv.gz"
run partition --check --shards 4 --name claims -o "$T/cut"
expect_status 65
expect_err_has "claims.shard: rows '"
run partition --check --shards 4 -o "$T/c"
expect_status 64
done_case

case_ "--shard K labels a shard job's output; --merge gives back member order"
# the hand case above: shard 0 holds A and M1, shard 1 M3, shard 2 M2.
# Each shard's records sorted by member (as the tools write them), written
# by --shard, then merged: A, M1, M1, M2, M3 (bytes; a shorter id first),
# each member's records in their shard's order (C2 before C5)
for k in 0 1 2; do
	{ head -n 1 "$T/c.tsv"; zcat "$T/s/$k/c.tsv.gz" | tail -n +2 | sort -s -t "$(printf '\t')" -k1,1; } >"$T/sorted.$k"
	partition --shards 3 --shard "$k" --extract hand --name out -o "$T/j" "$T/sorted.$k" >/dev/null || bad "shard $k"
done
expect_eq "$(sed -n 's/^rows\t//p' "$T/j/0/out.shard")" 3 "shard 0's label"
[ ! -e "$T/j/0/out.tsv.gz" ] || [ ! -e "$T/j/1/out.shard" ] || [ -e "$T/j/2/out.shard" ] || bad "a shard not written"
run partition --merge --shards 3 --extract hand --name out -o "$T/j"
expect_status 0
expect_out <<'E'
member_id	claim_id	allowed	paid
A	C1	10.00	8.00
M1	C2	1.10	1.00
M1	C5	-0.10	0.00
M2	C3	2.20	2.00
M3	C4	3.30	3.00
E
# a record of another shard: M2 belongs in shard 2
run partition --shards 3 --shard 0 --name out -o "$T/j2" "$T/sorted.2"
expect_status 65
expect_err "partition: $T/sorted.2:2: member 'M2' belongs in shard 2, not 0: not this shard's record"
run partition --shards 3 --shard 3 --name out -o "$T/j2" "$T/sorted.2"
expect_status 64
# a shard out of member order, and another shard's label in its place
zcat "$T/j/0/out.tsv.gz" | awk 'NR == 1 { print; next } { l[NR] = $0 } END { for (i = NR; i > 1; i--) print l[i] }' >"$T/rev.0"
cp -r "$T/j" "$T/rev" && partition --shards 3 --shard 0 --extract hand --name out -o "$T/rev" "$T/rev.0" >/dev/null
run partition --merge --shards 3 --name out -o "$T/rev"
expect_status 65
expect_err "partition: $T/rev/0/out.tsv.gz:4: member 'A' after 'M1': a shard to merge is in member order"
cp -r "$T/j" "$T/mv" && cp "$T/j/1/out.shard" "$T/mv/2/out.shard"
run partition --merge --shards 3 --name out -o "$T/mv"
expect_status 65
expect_err "partition: $T/mv/2/out.shard: shard '1', not '2': a shard given twice, or moved"
run partition --merge --check --shards 3 --name out -o "$T/j"
expect_status 64
done_case
