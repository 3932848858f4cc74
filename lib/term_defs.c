/*
 * term_defs.c — the registry of contract terms: every term any tool reads,
 * its type, choices or range, default and readers. vbr-terms(5) documents
 * the same list; a value outside its range stops every tool at once
 * (terms.c), so no tool checks a range of its own.
 */
#include "money.h"
#include "terms.h"

#include <stddef.h>
#include <stdint.h>

static const struct vbr_name cost_basis[] = {
	{"paid", VBR_BASIS_PAID}, {"allowed", VBR_BASIS_ALLOWED}, {NULL, 0}};
static const struct vbr_name completion_method[] = {
	{"terms", VBR_COMPLETION_TERMS}, {"chain_ladder", VBR_COMPLETION_CHAIN_LADDER}, {NULL, 0}};
static const struct vbr_name target_method[] = {
	{"cost", VBR_TARGET_COST}, {"loss_ratio", VBR_TARGET_LOSS_RATIO}, {NULL, 0}};
static const struct vbr_name trend_method[] = {
	{"fixed", VBR_TREND_FIXED}, {"regression", VBR_TREND_REGRESSION}, {NULL, 0}};
static const struct vbr_name risk[] = {
	{"one_sided", VBR_ONE_SIDED}, {"two_sided", VBR_TWO_SIDED}, {NULL, 0}};
static const struct vbr_name threshold[] = {{"mssp", VBR_THRESHOLD_MSSP}, {NULL, 0}};
static const struct vbr_name threshold_mode[] = {
	{"first_dollar", VBR_FIRST_DOLLAR}, {"net", VBR_NET}, {NULL, 0}};
static const struct vbr_name quality_mode[] = {
	{"seed", VBR_Q_SEED}, {"gate", VBR_Q_GATE}, {"multiply", VBR_Q_MULTIPLY},
	{"none", VBR_Q_NONE}, {NULL, 0}};
static const struct vbr_name loss_rate[] = {{"quality_linked", VBR_LOSS_QUALITY_LINKED}, {NULL, 0}};
static const struct vbr_name fee_basis[] = {
	{"guaranteed", VBR_FEE_GUARANTEED}, {"contingent", VBR_FEE_CONTINGENT}, {NULL, 0}};

/* ranges: M is 1 in millionths (rates), so UNIT is [0, 1] */
#define M VBR_MILLION
#define UNIT {1, 0, M, 0, 0, 0}             /* [0, 1] */
#define FRACTION {1, 0, M, 1, 0, 0}         /* (0, 1] */
#define OPEN_UNIT {1, -M, M, 1, 1, 0}       /* (-1, 1) */
#define MARGIN {1, -M, M, 0, 1, 0}          /* [-1, 1) */
#define STEP {1, 0, M, 1, 1, 0}             /* (0, 1) */
#define POSITIVE {1, 0, 0, 1, 0, 1}         /* above 0 */
#define NONNEGATIVE {1, 0, 0, 0, 0, 1}      /* 0 or more */
#define UPTO(n) {1, 0, n, 0, 0, 0}          /* [0, n] */
#define ANY {0, 0, 0, 0, 0, 0}

#define D VBR_TERM_DATE
#define R VBR_TERM_RATE
#define A VBR_TERM_AMOUNT
#define C VBR_TERM_COUNT
#define F VBR_TERM_FLAG
#define E VBR_TERM_CHOICE
#define N NULL
#define RE VBR_TERM_RATE_OR_CHOICE
#define L VBR_TERM_LIST

const struct vbr_term_def vbr_term_defs[] = {
	/* periods and run-out (vbr-terms(5)) */
	{"base_start", D, N, NULL, "all", "first day of the base period", 0, ANY},
	{"base_end", D, N, NULL, "all", "last day of the base period", 0, ANY},
	{"measure_start", D, N, NULL, "all", "first day of the measurement period", 0, ANY},
	{"measure_end", D, N, NULL, "all", "last day of the measurement period", 0, ANY},
	{"paid_through", D, N, NULL, "cap-large-claims cohort-select complete", "claims paid after this date are left out (counted), and member months after its month are not measured yet", 0, ANY},
	{"base_completion", R, N, "1", "cap-large-claims", "completion factor dividing base-period paid amounts", 0, FRACTION},
	{"measure_completion", R, N, "1", "cap-large-claims", "completion factor dividing measurement-period paid amounts", 0, FRACTION},
	{"completion_method", E, completion_method, "terms", "complete", "how the pipeline completes paid claims: the completion terms, or complete's chain ladder", 0, ANY},
	{"completion_window", C, N, "12", "complete", "recent incurred months that average each age-to-age factor", 0, {1, 1, 240, 0, 0, 0}},
	{"completion_tail", R, N, "1", "complete", "tail factor beyond the triangle's oldest development", 0, {1, M, 10 * M, 0, 0, 0}},
	/* attribution and cohort */
	{"attribution_lookback_months", C, N, "0", "attribute", "prospective attribution window before each period; 0 = the period itself", 0, UPTO(1200)},
	{"min_months", C, N, "1", "cohort-select", "least eligible months in a period", 0, UPTO(64)},
	{"require_continuous", F, N, "N", "cohort-select", "eligible months must be consecutive", 0, ANY},
	{"exclude_flags", L, N, "", "cohort-select", "eligibility flag columns that exclude a member when Y", 0, ANY},
	{"exclude_enrollment_types", L, N, "", "cohort-select", "enrollment types excluded from the cohort", 0, ANY},
	{"age_as_of", D, N, NULL, "cohort-select", "date at which age is computed (default: period start)", 0, ANY},
	/* costs */
	{"large_claim_threshold", A, N, NULL, "cap-large-claims", "cap on a member's period cost", 0, NONNEGATIVE},
	{"large_claim_threshold_", A, N, NULL, "cap-large-claims", "cap for one enrollment type (suffix = type)", 1, NONNEGATIVE},
	{"large_claim_percentile", R, N, NULL, "cap-large-claims", "cap at the nearest-rank percentile of member costs", 0, FRACTION},
	{"cost_basis", E, cost_basis, "paid", "cap-large-claims", "amount that makes cost", 0, ANY},
	/* mix */
	{"risk_normalization", R, N, NULL, "mix-factor", "divisor applied to risk scores", 0, POSITIVE},
	{"risk_growth_cap", R, N, NULL, "mix-factor", "largest growth of the risk factor, base to measure", 0, NONNEGATIVE},
	{"round_factor_decimals", C, N, "4", "mix-factor target", "decimals of published factors and rates", 0, UPTO(6)},
	/* target */
	{"target_method", E, target_method, "cost", "target settle", "cost-of-care PMPM target or loss-ratio target", 0, ANY},
	{"trend", R, N, "0", "target simulate", "annual trend B", 0, OPEN_UNIT},
	{"trend_method", E, trend_method, "fixed", "target", "trend from the term or fitted to --history", 0, ANY},
	{"trend_sd", R, N, "0", "simulate", "standard deviation of Monte Carlo trend draws", 0, UNIT},
	{"standard_workdays", R, N, NULL, "target", "workdays a month is normalised to", 0, {1, 0, 31 * M, 1, 0, 0}},
	{"regional_weight", R, N, "0", "target", "weight of the regional PMPM in the target", 0, UNIT},
	{"regional_pmpm", A, N, NULL, "target", "regional PMPM for the efficiency adjustment", 0, NONNEGATIVE},
	{"regional_cap", R, N, NULL, "target", "limit of the regional adjustment as a fraction of regional_pmpm", 0, UNIT},
	{"prior_savings_share", R, N, "0", "target", "share of prior savings PMPM added to the target", 0, UNIT},
	{"risk_discount", R, N, "0", "target", "insurance-risk margin taken off the target", 0, MARGIN},
	/* settlement */
	{"risk", E, risk, "one_sided", "settle simulate", "shared savings only, or shared savings and losses", 0, ANY},
	{"msr", RE, threshold, "0", "settle simulate", "minimum savings rate, or the MSSP sliding scale", 0, UNIT},
	{"mlr", RE, threshold, NULL, "settle simulate", "minimum loss rate; default: the msr (two-sided with msr = mssp must name it)", 0, UNIT},
	{"threshold_mode", E, threshold_mode, "first_dollar", "settle simulate", "share all savings once the threshold is met, or only beyond it", 0, ANY},
	{"sharing_rate", R, N, "0.5", "settle simulate", "savings sharing rate B", 0, UNIT},
	{"quality_mode", E, quality_mode, "none", "settle simulate", "how quality scales sharing", 0, ANY},
	{"quality_min", R, N, "0", "settle simulate", "least quality score that earns savings", 0, UNIT},
	{"loss_rate", RE, loss_rate, NULL, "settle simulate", "share of losses the org pays; default: quality_linked", 0, UNIT},
	{"loss_rate_min", R, N, "0", "settle simulate", "lower bound of the quality-linked loss rate", 0, UNIT},
	{"loss_rate_max", R, N, "1", "settle simulate", "upper bound of the loss rate", 0, UNIT},
	{"payment_reduction", R, N, "0", "settle simulate", "reduction of payments to the org (sequestration)", 0, UNIT},
	{"savings_cap", R, N, NULL, "settle simulate", "cap on shared savings, fraction of target total", 0, UNIT},
	{"loss_cap", R, N, NULL, "settle simulate", "cap on shared losses, fraction of target total", 0, UNIT},
	{"loss_cap_revenue", R, N, NULL, "settle simulate", "cap on shared losses, fraction of revenue", 0, UNIT},
	{"revenue", A, N, NULL, "settle simulate", "the org's revenue (org term)", 0, NONNEGATIVE},
	{"loss_forgiveness", R, N, "0", "settle simulate", "fraction of losses forgiven (org term)", 0, UNIT},
	{"loss_forgiveness_amount", A, N, "0", "settle simulate", "dollars of shared losses forgiven (org term), after the fraction", 0, NONNEGATIVE},
	{"care_mgmt_fee_pmpm", A, N, "0", "settle simulate", "care management fee per member per month", 0, NONNEGATIVE},
	{"care_mgmt_fee_basis", E, fee_basis, "guaranteed", "settle simulate", "fees always paid or only up to gross savings", 0, ANY},
	{"care_mgmt_fee_quality_gate", F, N, "N", "settle simulate", "no fees below quality_min", 0, ANY},
	{"care_mgmt_fee_offset", F, N, "N", "settle simulate", "fees paid are deducted from savings before sharing", 0, ANY},
	/* report */
	{"scenario_step", R, N, "0.025", "report", "step of the deterministic scenarios", 0, STEP},
	{NULL, 0, NULL, NULL, NULL, NULL, 0, ANY},
};
