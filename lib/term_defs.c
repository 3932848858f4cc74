/*
 * term_defs.c — the registry of contract terms: every term any tool reads,
 * its type, default and readers. vbr-terms(5) documents the same list.
 */
#include "terms.h"

#include <stddef.h>

#define D VBR_TERM_DATE
#define R VBR_TERM_RATE
#define A VBR_TERM_AMOUNT
#define C VBR_TERM_COUNT
#define F VBR_TERM_FLAG
#define E VBR_TERM_CHOICE
#define RE VBR_TERM_RATE_OR_CHOICE
#define L VBR_TERM_LIST

const struct vbr_term_def vbr_term_defs[] = {
	/* periods and run-out (SPEC §5) */
	{"base_start", D, NULL, NULL, "all", "first day of the base period", 0},
	{"base_end", D, NULL, NULL, "all", "last day of the base period", 0},
	{"measure_start", D, NULL, NULL, "all", "first day of the measurement period", 0},
	{"measure_end", D, NULL, NULL, "all", "last day of the measurement period", 0},
	{"paid_through", D, NULL, NULL, "cap-large-claims", "claims paid after this date are left out (counted)", 0},
	{"base_completion", R, NULL, "1", "cap-large-claims", "completion factor dividing base-period paid amounts", 0},
	{"measure_completion", R, NULL, "1", "cap-large-claims", "completion factor dividing measurement-period paid amounts", 0},
	/* attribution and cohort */
	{"attribution_lookback_months", C, NULL, "0", "attribute", "prospective attribution window before each period; 0 = the period itself", 0},
	{"min_months", C, NULL, "1", "cohort-select", "least eligible months in a period", 0},
	{"require_continuous", F, NULL, "N", "cohort-select", "eligible months must be consecutive", 0},
	{"exclude_flags", L, NULL, "", "cohort-select", "eligibility flag columns that exclude a member when Y", 0},
	{"exclude_enrollment_types", L, NULL, "", "cohort-select", "enrollment types excluded from the cohort", 0},
	{"age_as_of", D, NULL, NULL, "cohort-select", "date at which age is computed (default: period start)", 0},
	/* costs */
	{"large_claim_threshold", A, NULL, NULL, "cap-large-claims", "cap on a member's period cost", 0},
	{"large_claim_threshold_", A, NULL, NULL, "cap-large-claims", "cap for one enrollment type (suffix = type)", 1},
	{"large_claim_percentile", R, NULL, NULL, "cap-large-claims", "cap at the nearest-rank percentile of member costs", 0},
	{"cost_basis", E, "paid|allowed", "paid", "cap-large-claims", "amount that makes cost", 0},
	/* mix */
	{"risk_normalization", R, NULL, NULL, "mix-factor", "divisor applied to risk scores", 0},
	{"risk_growth_cap", R, NULL, NULL, "mix-factor", "largest growth of the risk factor, base to measure", 0},
	{"round_factor_decimals", C, NULL, "4", "mix-factor target", "decimals of published factors and rates", 0},
	/* target */
	{"target_method", E, "cost|loss_ratio", "cost", "target settle", "cost-of-care PMPM target or loss-ratio target", 0},
	{"trend", R, NULL, "0", "target simulate", "annual trend B", 0},
	{"trend_method", E, "fixed|regression", "fixed", "target", "trend from the term or fitted to --history", 0},
	{"trend_sd", R, NULL, "0", "simulate", "standard deviation of Monte Carlo trend draws", 0},
	{"standard_workdays", R, NULL, NULL, "target", "workdays a month is normalised to", 0},
	{"regional_weight", R, NULL, "0", "target", "weight of the regional PMPM in the target", 0},
	{"regional_pmpm", A, NULL, NULL, "target", "regional PMPM for the efficiency adjustment", 0},
	{"regional_cap", R, NULL, NULL, "target", "limit of the regional adjustment as a fraction of regional_pmpm", 0},
	{"prior_savings_share", R, NULL, "0", "target", "share of prior savings PMPM added to the target", 0},
	{"risk_discount", R, NULL, "0", "target", "insurance-risk margin taken off the target", 0},
	/* settlement */
	{"risk", E, "one_sided|two_sided", "one_sided", "settle simulate", "shared savings only, or shared savings and losses", 0},
	{"msr", RE, "mssp", "0", "settle simulate", "minimum savings rate, or the MSSP sliding scale", 0},
	{"mlr", RE, "mssp", NULL, "settle simulate", "minimum loss rate; default: the msr (two-sided with msr = mssp must name it)", 0},
	{"threshold_mode", E, "first_dollar|net", "first_dollar", "settle simulate", "share all savings once the threshold is met, or only beyond it", 0},
	{"sharing_rate", R, NULL, "0.5", "settle simulate", "savings sharing rate B", 0},
	{"quality_mode", E, "seed|gate|multiply|none", "none", "settle simulate", "how quality scales sharing", 0},
	{"quality_min", R, NULL, "0", "settle simulate", "least quality score that earns savings", 0},
	{"loss_rate", RE, "quality_linked", NULL, "settle simulate", "share of losses the org pays; default: quality_linked", 0},
	{"loss_rate_min", R, NULL, "0", "settle simulate", "lower bound of the quality-linked loss rate", 0},
	{"loss_rate_max", R, NULL, "1", "settle simulate", "upper bound of the loss rate", 0},
	{"payment_reduction", R, NULL, "0", "settle simulate", "reduction of payments to the org (sequestration)", 0},
	{"savings_cap", R, NULL, NULL, "settle simulate", "cap on shared savings, fraction of target total", 0},
	{"loss_cap", R, NULL, NULL, "settle simulate", "cap on shared losses, fraction of target total", 0},
	{"loss_cap_revenue", R, NULL, NULL, "settle simulate", "cap on shared losses, fraction of revenue", 0},
	{"revenue", A, NULL, NULL, "settle simulate", "the org's revenue (org term)", 0},
	{"loss_forgiveness", R, NULL, "0", "settle simulate", "fraction of losses forgiven (org term)", 0},
	{"loss_forgiveness_amount", A, NULL, "0", "settle simulate", "dollars of shared losses forgiven (org term)", 0},
	{"care_mgmt_fee_pmpm", A, NULL, "0", "settle simulate", "care management fee per member per month", 0},
	{"care_mgmt_fee_basis", E, "guaranteed|contingent", "guaranteed", "settle simulate", "fees always paid or only up to gross savings", 0},
	{"care_mgmt_fee_quality_gate", F, NULL, "N", "settle simulate", "no fees below quality_min", 0},
	{"care_mgmt_fee_offset", F, NULL, "N", "settle simulate", "fees paid are deducted from savings before sharing", 0},
	/* report */
	{"scenario_step", R, NULL, "0.025", "report", "step of the deterministic scenarios", 0},
	{NULL, 0, NULL, NULL, NULL, NULL, 0},
};
