# report: figures shown as the inputs give them (grouped dollars, rates as
# percentages), scenarios settled by hand, scenario probabilities from
# hand-made draws, the three formats, bad input, and the html statement
# rendered by headless Chromium with its charts checked.
. "$(dirname "$0")/../lib.sh"

# One org X: 100 members, 1,200 member months, target PMPM 100.00, actual
# cost 114,000.00 (PMPM 95.00), settled one-sided at 50% with a 2% msr.
printf 'member_id\tperiod\torg_id\tmembers\tmember_months\tcost\nX\tmeasure\tX\t100\t1200\t114000.00\n' >"$T/costs.tsv"
printf 'org_id\ttarget_pmpm\nX\t100.00\n' >"$T/target.tsv"
printf 'term\tvalue\nsharing_rate\t0.5\nmsr\t0.02\n' >"$T/terms.tsv"
settle --total --terms "$T/terms.tsv" --target "$T/target.tsv" "$T/costs.tsv" >"$T/settlement.tsv"
# field NAME LINE: a cell of the text statement's table row starting with LINE
row() { grep -E "^ *$1" "$T/out" | head -n 1 | tr -s ' '; }

case_ "text: the settlement steps as settle gives them"
run report "$T/settlement.tsv"
expect_status 0
# target 100.00 × 1,200 = 120,000.00; actual 114,000.00; A = 6,000.00 = 5%;
# 5% ≥ 2%: 50% × 6,000.00 = 3,000.00
expect_eq "$(row 'U +target total')" "U target total T x member months 120,000.00" "target total"
expect_eq "$(row 'W +gross')" "W gross savings (loss if negative) U - V 6,000.00" "gross"
expect_eq "$(row ' +savings rate')" " savings rate W / U 5.00%" "savings rate"
expect_eq "$(row ' +net settlement')" " net settlement Y + Z 3,000.00" "net"
expect_eq "$(row 'programme')" "programme 100 1200 120,000.00 114,000.00 6,000.00 5.00% 3,000.00 0.00 3,000.00" "programme row"
done_case

case_ "scenarios: actual PMPM in 2.5% steps, settled by hand"
run report --scenarios 2 --terms "$T/terms.tsv" "$T/settlement.tsv"
expect_status 0
# full year: 12 × 100 = 1,200 member months; one-sided 50%, msr 2%
#  -2: actual 95.00, gross 5.00 (5% ≥ 2%): shared 2.50, total 12 × 100 × 2.50 = 3,000.00
#  -1: actual 97.50, gross 2.50 (2.5%):    shared 1.25, total 1,500.00
#   0: 100.00, nothing; +1, +2: losses, one-sided: 0.00
expect_eq "$(row '-2 ')" " -2 -5.00% 95.00 5.00 2.50 3,000.00" "-2"
expect_eq "$(row '-1 ')" " -1 -2.50% 97.50 2.50 1.25 1,500.00" "-1"
expect_eq "$(row '0 ')" " 0 0.00% 100.00 0.00 0.00 0.00" "0"
expect_eq "$(row '\+2 ')" " +2 +5.00% 105.00 -5.00 0.00 0.00" "+2"
done_case

case_ "scenarios: two-sided losses at a fixed loss rate"
run report --scenarios 2 --terms "$T/terms.tsv" --set risk=two_sided --set loss_rate=0.4 \
	--set mlr=0.03 "$T/settlement.tsv"
expect_status 0
# +1: loss 2.5% < mlr 3%: 0.00; +2: loss 5.00 PMPM × 40% = -2.00, total 12 × 100 × -2.00
expect_eq "$(row '\+1 ')" " +1 +2.50% 102.50 -2.50 0.00 0.00" "+1"
expect_eq "$(row '\+2 ')" " +2 +5.00% 105.00 -5.00 -2.00 -2,400.00" "+2"
done_case

case_ "scenario probabilities and expected value from the draws"
# actual/target: 0.95 → -2; 0.96 → -1.6 → -2; 1.00 → 0; 1.20 → +8 → the +2 tail;
# Y's draw belongs to another org. P = .5, 0, .25, 0, .25;
# expected = (2 × 3,000.00 + 0 + 0) / 4 = 1,500.00
{ printf 'iteration\torg_id\ttrend\ttarget_total\tactual_total\tshared\tnet_settlement\n'
  printf '1\tX\t0.05\t120000.00\t114000.00\t3000.00\t3000.00\n'
  printf '2\tX\t0.05\t120000.00\t115200.00\t2400.00\t2400.00\n'
  printf '3\tX\t0.05\t120000.00\t120000.00\t0.00\t0.00\n'
  printf '4\tX\t0.05\t120000.00\t144000.00\t0.00\t0.00\n'
  printf '1\tY\t0.05\t1000.00\t500.00\t0.00\t0.00\n'; } >"$T/draws.tsv"
run report -v --scenarios 2 --terms "$T/terms.tsv" --draws "$T/draws.tsv" "$T/settlement.tsv"
expect_status 0
expect_eq "$(row '-2 ' | awk '{ print $NF }')" "0.5000" "P(-2)"
expect_eq "$(row '-1 ' | awk '{ print $NF }')" "0.0000" "P(-1)"
expect_eq "$(row '0 ' | awk '{ print $NF }')" "0.2500" "P(0)"
expect_eq "$(row '\+2 ' | awk '{ print $NF }')" "0.2500" "P(+2)"
expect_eq "$(row 'expected')" "expected 1,500.00 1.0000" "expected value"
expect_err_has "draws of orgs not settled: 1"
done_case

case_ "contract variants and the sensitivity table, as simulate gives them"
# programme rows of three contracts: base expected 150.00; s60 180.00, 30.00
# above the base; one-sided 200.00, 50.00 above; their 5th, 50th and 95th
# percentiles, value at risk and expected shortfall shown as given
{ printf 'variant\torg_id\tmembers\titerations\tmean_net\tp5_net\tp25_net\tp50_net\tp75_net\tp95_net\tprob_savings\tprob_loss\tmean_shared\texpected_settlement\tvalue_at_risk_5\texpected_shortfall_5\n'
  printf 'base\tX\t100\t10\t150.00\t-20.00\t100.00\t150.00\t200.00\t300.00\t0.9000\t0.1000\t150.00\t150.00\t20.00\t25.00\n'
  printf 'base\t*\t100\t10\t150.00\t-20.00\t100.00\t150.00\t200.00\t300.00\t\t\t\t150.00\t20.00\t25.00\n'
  printf 's60\tX\t100\t10\t180.00\t-24.00\t120.00\t180.00\t240.00\t360.00\t0.9000\t0.1000\t180.00\t180.00\t24.00\t30.00\n'
  printf 's60\t*\t100\t10\t180.00\t-24.00\t120.00\t180.00\t240.00\t360.00\t\t\t\t180.00\t24.00\t30.00\n'
  printf 'one-sided\t*\t100\t10\t200.00\t0.00\t100.00\t150.00\t200.00\t300.00\t\t\t\t200.00\t0.00\t0.00\n'; } >"$T/sim.tsv"
{ printf 'term\tstep\texpected_low\texpected_base\texpected_high\tchange_low\tchange_high\n'
  printf 'sharing_rate\t0.050\t135.00\t150.00\t165.00\t-15.00\t15.00\n'
  printf 'savings_cap\t0.010\t150.00\t150.00\t150.00\t0.00\t0.00\n'; } >"$T/sens.tsv"
run report --simulation "$T/sim.tsv" --sensitivity "$T/sens.tsv" "$T/settlement.tsv"
expect_status 0
expect_eq "$(row 'base  ')" "base 150.00 0.00 -20.00 150.00 300.00 20.00 25.00" "base"
expect_eq "$(row 's60 ')" "s60 180.00 30.00 -24.00 180.00 360.00 24.00 30.00" "s60"
expect_eq "$(row 'one-sided ')" "one-sided 200.00 50.00 0.00 150.00 300.00 0.00 0.00" "one-sided"
expect_eq "$(row 'sharing_rate ')" "sharing_rate 0.050 135.00 165.00 -15.00 15.00" "sensitivity"
expect_eq "$(row 'savings_cap ')" "savings_cap 0.010 150.00 150.00 0.00 0.00" "a cap that cannot bind"
# the rest of the statement shows the base's rows only
expect_eq "$(grep -c '^ *10 ' "$T/out")" 2 "simulated outcome rows (programme, X)"
run report --format html --simulation "$T/sim.tsv" --sensitivity "$T/sens.tsv" "$T/settlement.tsv"
expect_eq "$(grep -c '<svg class="vbr-chart vbr-boxes"' "$T/out") $(grep -c '<svg class="vbr-chart vbr-tornado"' "$T/out")" "1 1" "box plots and tornado"
# a simulation of the base alone has no variants section
grep -v '^s60\|^one-sided' "$T/sim.tsv" >"$T/sim1.tsv"
run report --simulation "$T/sim1.tsv" "$T/settlement.tsv"
grep -q 'Contract variants' "$T/out" && bad "a variants section for the base alone"
done_case

case_ "--costs: what the large-claim cap removed, and the largest claimants"
# org X. base: a 100.00 (not capped), b 500.00 capped at 300.00 (excess
# 200.00): 2 members, paid 600.00, completed (raw) 600.00, 1 capped, excess
# 200.00, capped 400.00. measure: a 150.00; c paid 380.00, completed to
# 400.00 (IBNR 20.00) → 300.00 (100.00); d 350.00 → 300.00 (50.00): 3
# members, paid 880.00, IBNR 20.00, completed 900.00, 2 capped, excess
# 150.00, capped 750.00. The threshold is the capped members' cost, 300.00;
# top 2 by completed cost: c, d.
{ printf 'member_id\tperiod\torg_id\tmember_months\tallowed\tpaid\tcost\traw_cost\texcess\n'
  printf 'a\tbase\tX\t12\t120.00\t100.00\t100.00\t100.00\t0.00\nb\tbase\tX\t12\t600.00\t500.00\t300.00\t500.00\t200.00\n'
  printf 'a\tmeasure\tX\t12\t180.00\t150.00\t150.00\t150.00\t0.00\nc\tmeasure\tX\t12\t450.00\t380.00\t300.00\t400.00\t100.00\n'
  printf 'd\tmeasure\tX\t12\t420.00\t350.00\t300.00\t350.00\t50.00\n'; } >"$T/capcosts.tsv"
run report --costs "$T/capcosts.tsv" --top 2 "$T/settlement.tsv"
expect_status 0
expect_eq "$(row 'base  ')" "base 2 600.00 0.00 600.00 300.00 1 200.00 400.00" "base"
expect_eq "$(row 'measure ')" "measure 3 880.00 20.00 900.00 300.00 2 150.00 750.00" "measure"
expect_eq "$(grep -E '^(c|d|a) ' "$T/out" | tr -s ' ' | tr '\n' '|')" "c 400.00 300.00 100.00|d 350.00 300.00 50.00|" "top claimants"
# thresholds by enrollment type: the capped costs differ, shown as a range
sed 's/^d\tmeasure\tX\t12\t420.00\t350.00\t300.00\t350.00\t50.00$/d\tmeasure\tX\t12\t420.00\t350.00\t320.00\t350.00\t30.00/' "$T/capcosts.tsv" >"$T/cap2.tsv"
run report --costs "$T/cap2.tsv" "$T/settlement.tsv"
expect_eq "$(row 'measure ')" "measure 3 880.00 20.00 900.00 300.00 to 320.00 2 130.00 770.00" "a range"
# html: the claimants collapsed in a drill-down
run report --format html --costs "$T/capcosts.tsv" "$T/settlement.tsv"
expect_eq "$(grep -c '<details><summary>Largest claimants, measurement period (top 3)</summary>' "$T/out")" 1 "details"
# a bad amount names its place
sed '3s/\t300.00\t/\t3x0.00\t/' "$T/capcosts.tsv" >"$T/cap3.tsv"
run report --costs "$T/cap3.tsv" "$T/settlement.tsv"
expect_status 65
expect_err_has "cap3.tsv:3: column 'cost' (7): invalid amount '3x0.00'"
done_case

case_ "the header: the contract's periods and terms, the run and its inputs' SHA-256"
printf 'term\tvalue\nbase_start\t2023-01-01\nbase_end\t2023-12-31\nmeasure_start\t2024-01-01\nmeasure_end\t2024-12-31\npaid_through\t2025-03-31\nsharing_rate\t0.5\nmsr\tmssp\nlarge_claim_threshold\t100000.00\nsavings_cap\t0.1\n' >"$T/hterms.tsv"
printf '%064d  claims.tsv.gz\n%064d  eligibility.tsv.gz\n' 1 2 >"$T/inputs.sha256"
run report --terms "$T/hterms.tsv" --inputs "$T/inputs.sha256" --run-date 2026-11-30T02:00:00Z "$T/settlement.tsv"
expect_status 0
expect_eq "$(row 'base period')" "base period 2023-01-01 to 2023-12-31" "base period"
expect_eq "$(row 'measurement period')" "measurement period 2024-01-01 to 2024-12-31" "measurement period"
expect_eq "$(row 'paid through')" "paid through 2025-03-31" "paid through"
expect_eq "$(row 'large-claim cap')" "large-claim cap 100,000.00 a member and period" "cap"
expect_eq "$(row 'sharing rate')" "sharing rate 50.00%" "sharing rate"
expect_eq "$(row 'minimum savings rate')" "minimum savings rate mssp" "msr"
expect_eq "$(row 'savings cap')" "savings cap 10.00%" "savings cap"
expect_eq "$(row 'run started')" "run started 2026-11-30T02:00:00Z" "run"
expect_eq "$(grep -c '^ *\(inputs (SHA-256)\)\? *\(claims\|eligibility\).tsv.gz  0\{63\}[12]$' "$T/out")" 2 "inputs"
printf 'not a sum\n' >"$T/bad.sha256"
run report --inputs "$T/bad.sha256" "$T/settlement.tsv"
expect_status 65
expect_err_has "bad.sha256:1: not a sha256sum line"
done_case

case_ "markdown: pipe tables, numbers right-aligned, totals bold"
run report --format markdown "$T/settlement.tsv"
expect_status 0
expect_eq "$(grep -c '^# Settlement statement$' "$T/out")" 1 "title"
expect_eq "$(grep -c '^| org | members |' "$T/out")" 1 "summary head"
expect_eq "$(grep -c '^|:---|---:|---:|' "$T/out")" 1 "alignment row"
expect_eq "$(grep -c '^| \*\*programme\*\* | \*\*100\*\* |' "$T/out")" 1 "bold total"
done_case

case_ "html: one self-contained page, escaped, with a waterfall per org"
run report --format html --title 'Q4 <draft> & final' "$T/settlement.tsv"
expect_status 0
expect_eq "$(grep -c '<title>Q4 &lt;draft&gt; &amp; final</title>' "$T/out")" 1 "escaped title"
expect_eq "$(grep -c '<svg class="vbr-chart vbr-waterfall"' "$T/out")" 2 "waterfalls: cost, then sharing"
expect_eq "$(grep -c 'src=\|href="[^#]\|<script' "$T/out")" 0 "no external resource, no script (links only within the page)"
done_case

case_ "bad input: a bad amount names file, line, column, value; exit 65"
sed '2s/120000\.00/120,000.00/' "$T/settlement.tsv" >"$T/bad.tsv"
run report "$T/bad.tsv"
expect_status 65
expect_err_has "bad.tsv:2: column 'target_total' (6): invalid amount '120,000.00'"
printf 'org_id\tmembers\nX\t1\n' >"$T/bad2.tsv"
run report "$T/bad2.tsv"
expect_status 65
expect_err_has "no column 'member_months'"
# the same org in two settlement files is refused, not merged
run report "$T/settlement.tsv" "$T/settlement.tsv"
expect_status 65
expect_err_has "settlement.tsv:2: org 'X' is settled twice (also $T/settlement.tsv:2)"
done_case

case_ "usage: unknown format, scenarios without terms; exit 64"
run report --format pdf "$T/settlement.tsv"
expect_status 64
expect_err_has "'pdf' is not text, markdown or html"
run report --scenarios 3 "$T/settlement.tsv"
expect_status 64
expect_err_has "give its --terms"
done_case

# ---- the html statement in a real browser ----
# render PAGE: headless Chromium loads PAGE with a probe appended (it counts
# the charts that have a drawn box and bars) and writes the DOM after the
# scripts ran to $T/dom and a screenshot to $T/shot.png; the browser's
# console (uncaught script errors) goes to $T/console.
render() {
	sed 's#</body>#<script>(function(){var n=0,d=0;document.querySelectorAll("svg.vbr-chart").forEach(function(s){n++;var b=s.getBoundingClientRect();if(b.width>100\&\&b.height>100\&\&s.querySelectorAll("rect").length>0)d++;});document.body.setAttribute("data-probe","charts "+n+" drawn "+d);document.body.setAttribute("data-wide",document.documentElement.scrollWidth);})();</script></body>#' \
		"$1" >"$T/page.html"
	set -- --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$T/chrome" \
		--enable-logging=stderr --v=0 --window-size=1300,2400
	timeout 120 "$CHROMIUM" "$@" --dump-dom "file://$T/page.html" >"$T/dom" 2>"$T/console"
	timeout 120 "$CHROMIUM" "$@" --screenshot="$T/shot.png" "file://$T/page.html" \
		>/dev/null 2>>"$T/console"
	timeout 120 "$CHROMIUM" "$@" --no-pdf-header-footer --print-to-pdf="$T/page.pdf" \
		"file://$T/page.html" >/dev/null 2>>"$T/console"
}
# page_ok EXPECTED_CHARTS: the probe saw them all drawn, no script error,
# and the screenshot is a PNG of some size
page_ok() {
	probe=$(sed -n 's/.*data-probe="\([^"]*\)".*/\1/p' "$T/dom")
	[ "$probe" = "charts $1 drawn $1" ] || { echo "probe: '$probe'"; return 1; }
	if grep -q 'Uncaught' "$T/console"; then grep 'Uncaught' "$T/console" | head -n 2; return 1; fi
	[ "$(head -c 8 "$T/shot.png" | od -An -c | tr -d ' ')" = '211PNG\r\n032\n' ] || { echo "no PNG"; return 1; }
	[ "$(wc -c <"$T/shot.png")" -gt 20000 ] || { echo "screenshot too small"; return 1; }
	# usable at 1300 px: nothing wider than the window
	wide=$(sed -n 's/.*data-wide="\([0-9]*\)".*/\1/p' "$T/dom")
	[ -n "$wide" ] && [ "$wide" -le 1300 ] || { echo "page $wide px wide at 1300"; return 1; }
}
# pdf_pages: the pages of the printed page (PDF)
pdf_pages() { grep -ao '/Type */Page\b' "$T/page.pdf" | wc -l; }
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	skip_case "html in headless Chromium" "chromium is not installed (make deps installs it)"
else
	case_ "html in headless Chromium: waterfalls and histograms drawn, no script error"
	X=$T/x
	mkdir -p "$X"
	make -s -f "$ROOT/pipelines/demo.mk" BIN="$BIN" OUT="$X" MEMBERS=400 SEED=3 \
		"$X/settlement.tsv" >/dev/null 2>&1
	sed 's/^sharing_rate\t.*/sharing_rate\t0.6/' "$X/extract/terms.tsv" >"$X/sixty.tsv"
	simulate --total --terms "$X/extract/terms.tsv" --target "$X/target.tsv" \
		--quality "$X/extract/quality.tsv" --iterations 200 --draws "$X/draws.tsv" \
		--variant sixty="$X/sixty.tsv" --sensitivity "$X/sens.tsv" "$X/costs.tsv" >"$X/sim.tsv"
	run report --format html --terms "$X/extract/terms.tsv" --target "$X/target.tsv" \
		--mix "$X/mix.tsv" --simulation "$X/sim.tsv" --draws "$X/draws.tsv" --scenarios 2 \
		--sensitivity "$X/sens.tsv" "$X/settlement.tsv"
	expect_status 0
	orgs=$(tail -n +2 "$X/settlement.tsv" | grep -vc '^\*')
	# per org two waterfalls (cost, sharing) and a histogram, the
	# programme's histogram, the variants' box plots and the tornado
	charts=$((3 * orgs + 3))
	cp "$T/out" "$T/statement.html"
	render "$T/statement.html"
	why=$(page_ok "$charts") || bad "statement: $why"
	# printed: the contents, the programme and then each org start a page
	[ "$(pdf_pages)" -ge $((orgs + 2)) ] || bad "printed on $(pdf_pages) pages, not one per org"
	expect_eq "$(grep -c '<nav class="contents">' "$T/statement.html")" 1 "contents list"
	expect_eq "$(grep -c '<li><a href="#org-[0-9]*">Organisation ORG0[1-4]</a></li>' "$T/statement.html")" "$orgs" "an entry per org"
	# the check can fail: a page with a script error, and one without its charts
	sed 's#</body>#<script>undefinedFunction();</script></body>#' "$T/statement.html" >"$T/broken.html"
	render "$T/broken.html"
	page_ok "$charts" | grep -q "Uncaught" || bad "a script error went unnoticed"
	sed '/<svg class="vbr-chart vbr-waterfall"/,/<\/svg>/d' "$T/statement.html" >"$T/nocharts.html"
	render "$T/nocharts.html"
	page_ok "$charts" | grep -q "^probe: .charts $((charts - 2 * orgs)) drawn" || bad "missing charts went unnoticed"
	sed 's#</body>#<div style="width:2000px">wide</div></body>#' "$T/statement.html" >"$T/wide.html"
	render "$T/wide.html"
	page_ok "$charts" | grep -q "px wide at 1300" || bad "a page wider than 1300 px went unnoticed"
	done_case
fi
