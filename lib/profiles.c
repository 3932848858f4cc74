/*
 * profiles.c — built-in ingest layouts. Each DE-SynPUF and Tuva mapping
 * decision is documented in ingest(1); keep the two in step.
 */
#include "profiles.h"

#include <string.h>

#define DX(n, src) {"dx" #n, src, NULL, NULL}

/* What every DE-SynPUF claim file starts with: the beneficiary, the claim,
 * its line (`line`: a column or =# for line items) and its dates. */
#define SYNPUF_CLAIM(line)                                                                 \
	{"member_id", "DESYNPUF_ID", NULL, NULL}, {"claim_id", "CLM_ID", NULL, NULL},       \
	{"line", line, NULL, NULL}, {"from_date", "CLM_FROM_DT", "date:YYYYMMDD", NULL},    \
	{"thru_date", "CLM_THRU_DT", "date:YYYYMMDD", NULL}

/* An institutional claim's payment, attending physician and facility. */
#define SYNPUF_INSTITUTION                                                                 \
	{"paid", "CLM_PMT_AMT", "amount", NULL}, {"provider_id", "AT_PHYSN_NPI", NULL, NULL}, \
	{"facility_id", "PRVDR_NUM", NULL, NULL}

/* The ten claim diagnosis codes of an institutional claim. */
#define SYNPUF_DX10                                                                        \
	DX(1, "ICD9_DGNS_CD_1"), DX(2, "ICD9_DGNS_CD_2"), DX(3, "ICD9_DGNS_CD_3"),           \
	DX(4, "ICD9_DGNS_CD_4"), DX(5, "ICD9_DGNS_CD_5"), DX(6, "ICD9_DGNS_CD_6"),           \
	DX(7, "ICD9_DGNS_CD_7"), DX(8, "ICD9_DGNS_CD_8"), DX(9, "ICD9_DGNS_CD_9"),           \
	DX(10, "ICD9_DGNS_CD_10")

/* Inpatient: paid = Medicare claim payment; allowed = payment + primary
 * payer paid + inpatient deductible + Part A coinsurance + blood deductible
 * (the beneficiary's and other payers' shares make up the allowed amount). */
static const struct vbr_map_rule desynpuf_inpatient[] = {
	SYNPUF_CLAIM("SEGMENT"),
	{"allowed", "CLM_PMT_AMT+NCH_PRMRY_PYR_CLM_PD_AMT+NCH_BENE_IP_DDCTBL_AMT+"
		    "NCH_BENE_PTA_COINSRNC_LBLTY_AM+NCH_BENE_BLOOD_DDCTBL_LBLTY_AM",
	 "amount", NULL},
	SYNPUF_INSTITUTION,
	{"category", "=inpatient", NULL, NULL},
	{"drg", "CLM_DRG_CD", NULL, NULL},
	SYNPUF_DX10,
	{NULL, NULL, NULL, NULL},
};

/* Outpatient: as inpatient, with the Part B deductible and coinsurance. */
static const struct vbr_map_rule desynpuf_outpatient[] = {
	SYNPUF_CLAIM("SEGMENT"),
	{"allowed", "CLM_PMT_AMT+NCH_PRMRY_PYR_CLM_PD_AMT+NCH_BENE_PTB_DDCTBL_AMT+"
		    "NCH_BENE_PTB_COINSRNC_AMT+NCH_BENE_BLOOD_DDCTBL_LBLTY_AM",
	 "amount", NULL},
	SYNPUF_INSTITUTION,
	{"hcpcs", "HCPCS_CD_1", NULL, NULL},
	{"category", "=outpatient", NULL, NULL},
	SYNPUF_DX10,
	{NULL, NULL, NULL, NULL},
};

/* Carrier: each of the 13 line items is a claim line; allowed = line
 * allowed charge, paid = line NCH payment; the line diagnosis first, then the
 * claim's eight. */
static const struct vbr_map_rule desynpuf_carrier[] = {
	SYNPUF_CLAIM("=#"),
	{"allowed", "LINE_ALOWD_CHRG_AMT_#", "amount", NULL},
	{"paid", "LINE_NCH_PMT_AMT_#", "amount", NULL},
	{"provider_id", "PRF_PHYSN_NPI_#", NULL, NULL},
	{"tin", "TAX_NUM_#", NULL, NULL},
	{"hcpcs", "HCPCS_CD_#", NULL, NULL},
	{"category", "=professional", NULL, NULL},
	DX(1, "LINE_ICD9_DGNS_CD_#"), DX(2, "ICD9_DGNS_CD_1"), DX(3, "ICD9_DGNS_CD_2"),
	DX(4, "ICD9_DGNS_CD_3"), DX(5, "ICD9_DGNS_CD_4"), DX(6, "ICD9_DGNS_CD_5"),
	DX(7, "ICD9_DGNS_CD_6"), DX(8, "ICD9_DGNS_CD_7"), DX(9, "ICD9_DGNS_CD_8"),
	{NULL, NULL, NULL, NULL},
};

/* Prescription drug events (Part D): allowed = total drug cost; paid = total
 * cost less what the patient paid. */
static const struct vbr_map_rule desynpuf_pde[] = {
	{"member_id", "DESYNPUF_ID", NULL, NULL},
	{"claim_id", "PDE_ID", NULL, NULL},
	{"line", "=1", NULL, NULL},
	{"from_date", "SRVC_DT", "date:YYYYMMDD", NULL},
	{"allowed", "TOT_RX_CST_AMT", "amount", NULL},
	{"paid", "TOT_RX_CST_AMT+PTNT_PAY_AMT", "difference", NULL},
	{"ndc", "PROD_SRVC_ID", NULL, NULL},
	{"quantity", "QTY_DSPNSD_NUM", NULL, NULL},
	{"days_supply", "DAYS_SUPLY_NUM", NULL, NULL},
	{"category", "=pharmacy", NULL, NULL},
	{NULL, NULL, NULL, NULL},
};

/* Tuva medical claims: line dates fall back to claim dates; institutional
 * lines carry no allowed amount, so allowed falls back to paid; a line with
 * neither is left out (counted). */
static const struct vbr_map_rule tuva_medical_claim[] = {
	{"member_id", "person_id", NULL, NULL},
	{"claim_id", "claim_id", NULL, NULL},
	{"line", "claim_line_number", NULL, NULL},
	{"from_date", "claim_line_start_date|claim_start_date", "date:YYYY-MM-DD", NULL},
	{"thru_date", "claim_line_end_date|claim_end_date", "date:YYYY-MM-DD", NULL},
	{"paid_date", "paid_date", "date:YYYY-MM-DD", NULL},
	{"allowed", "allowed_amount|paid_amount", "amount", "skip"},
	{"paid", "paid_amount", "amount", "skip"},
	{"provider_id", "rendering_npi", NULL, NULL},
	{"tin", "rendering_tin|billing_tin", NULL, NULL},
	{"hcpcs", "hcpcs_code", NULL, NULL},
	{"pos", "place_of_service_code", NULL, NULL},
	{"category", "claim_type", NULL, NULL},
	DX(1, "diagnosis_code_1"), DX(2, "diagnosis_code_2"), DX(3, "diagnosis_code_3"),
	DX(4, "diagnosis_code_4"), DX(5, "diagnosis_code_5"), DX(6, "diagnosis_code_6"),
	DX(7, "diagnosis_code_7"), DX(8, "diagnosis_code_8"), DX(9, "diagnosis_code_9"),
	DX(10, "diagnosis_code_10"), DX(11, "diagnosis_code_11"), DX(12, "diagnosis_code_12"),
	{NULL, NULL, NULL, NULL},
};

/* Tuva pharmacy claims: one line per dispensing, the prescriber as the
 * provider; allowed falls back to paid as for medical claims. */
static const struct vbr_map_rule tuva_pharmacy_claim[] = {
	{"member_id", "person_id", NULL, NULL},
	{"claim_id", "claim_id", NULL, NULL},
	{"line", "claim_line_number", NULL, NULL},
	{"from_date", "dispensing_date", "date:YYYY-MM-DD", NULL},
	{"paid_date", "paid_date", "date:YYYY-MM-DD", NULL},
	{"allowed", "allowed_amount|paid_amount", "amount", "skip"},
	{"paid", "paid_amount", "amount", "skip"},
	{"provider_id", "prescribing_provider_npi", NULL, NULL},
	{"ndc", "ndc_code", NULL, NULL},
	{"quantity", "quantity", NULL, NULL},
	{"days_supply", "days_supply", NULL, NULL},
	{"category", "=pharmacy", NULL, NULL},
	{NULL, NULL, NULL, NULL},
};

/* CMS CCLF5, Part B physician claim lines: fixed width, 388 bytes a
 * record. The columns vbr reads, by their byte positions in the CCLF
 * Information Packet (version 36, the CCLF5 file layout). */
static const struct vbr_fixed_column cclf5_columns[] = {
	{"CUR_CLM_UNIQ_ID", 1, 13},        {"CLM_LINE_NUM", 14, 10},
	{"BENE_MBI_ID", 24, 11},           {"CLM_TYPE_CD", 46, 2},
	{"CLM_FROM_DT", 48, 10},           {"CLM_THRU_DT", 58, 10},
	{"CLM_PRVDR_SPCLTY_CD", 73, 2},    {"CLM_POS_CD", 76, 2},
	{"CLM_LINE_FROM_DT", 78, 10},      {"CLM_LINE_THRU_DT", 88, 10},
	{"CLM_LINE_HCPCS_CD", 98, 5},      {"CLM_LINE_CVRD_PD_AMT", 103, 15},
	{"CLM_RNDRG_PRVDR_TAX_NUM", 126, 10}, {"RNDRG_PRVDR_NPI_NUM", 136, 10},
	{"CLM_ADJSMT_TYPE_CD", 150, 2},    {"CLM_EFCTV_DT", 152, 10},
	{"CLM_CNTL_NUM", 172, 40},         {"CLM_LINE_ALOWD_CHRG_AMT", 223, 17},
	{"CLM_DGNS_1_CD", 276, 7},         {"CLM_DGNS_2_CD", 283, 7},
	{"CLM_DGNS_3_CD", 290, 7},         {"CLM_DGNS_4_CD", 297, 7},
	{"CLM_CNTRCTR_NUM", 384, 5},
};
static const struct vbr_fixed_layout cclf5_layout = {
	(struct vbr_fixed_column *)cclf5_columns, (int)LEN(cclf5_columns), 388};

static const struct vbr_map_rule cclf5[] = {
	{"member_id", "BENE_MBI_ID", NULL, NULL},
	{"claim_id", "CLM_CNTL_NUM", NULL, NULL},
	{"line", "CLM_LINE_NUM", NULL, NULL},
	{"from_date", "CLM_LINE_FROM_DT|CLM_FROM_DT", "date:YYYY-MM-DD", NULL},
	{"thru_date", "CLM_LINE_THRU_DT|CLM_THRU_DT", "date:YYYY-MM-DD", NULL},
	{"allowed", "CLM_LINE_ALOWD_CHRG_AMT", "amount", NULL},
	{"paid", "CLM_LINE_CVRD_PD_AMT", "amount", NULL},
	{"provider_id", "RNDRG_PRVDR_NPI_NUM", NULL, NULL},
	{"tin", "CLM_RNDRG_PRVDR_TAX_NUM", NULL, NULL},
	{"specialty", "CLM_PRVDR_SPCLTY_CD", NULL, NULL},
	{"hcpcs", "CLM_LINE_HCPCS_CD", NULL, NULL},
	{"pos", "CLM_POS_CD", NULL, NULL},
	{"category", "=professional", NULL, NULL},
	DX(1, "CLM_DGNS_1_CD"), DX(2, "CLM_DGNS_2_CD"), DX(3, "CLM_DGNS_3_CD"),
	DX(4, "CLM_DGNS_4_CD"),
	{NULL, NULL, NULL, NULL},
};

/* Part B versions net by the claim control number, the line and the
 * beneficiary (CCLF Information Packet, beneficiary-level expenditures). */
static const struct vbr_final_columns cclf5_final = {
	{"CLM_CNTL_NUM", "CLM_LINE_NUM", "BENE_MBI_ID", NULL},
	"CLM_EFCTV_DT", "CLM_ADJSMT_TYPE_CD", "CUR_CLM_UNIQ_ID"};

/* CMS CCLF1, Part A claim headers: fixed width, 437 bytes a record; one
 * claim line per claim, paid the header's CLM_PMT_AMT (CCLF1 has no
 * allowed amount: allowed is the payment too). */
static const struct vbr_fixed_column cclf1_columns[] = {
	{"CUR_CLM_UNIQ_ID", 1, 13},        {"PRVDR_OSCAR_NUM", 14, 6},
	{"BENE_MBI_ID", 20, 11},           {"CLM_TYPE_CD", 42, 2},
	{"CLM_FROM_DT", 44, 10},           {"CLM_THRU_DT", 54, 10},
	{"PRNCPL_DGNS_CD", 66, 7},         {"CLM_PMT_AMT", 82, 17},
	{"DGNS_DRG_CD", 104, 4},           {"ATNDG_PRVDR_NPI_NUM", 129, 10},
	{"CLM_ADJSMT_TYPE_CD", 149, 2},    {"CLM_EFCTV_DT", 151, 10},
	{"CLM_BLG_PRVDR_OSCAR_NUM", 293, 20}, {"CLM_CNTL_NUM", 353, 40},
	{"CLM_CNTRCTR_NUM", 433, 5},
};
static const struct vbr_fixed_layout cclf1_layout = {
	(struct vbr_fixed_column *)cclf1_columns, (int)LEN(cclf1_columns), 437};

/* The Part A claim header's rules, shared by cclf1 and cclf2's headers. */
#define CCLF1_CLAIM                                                                        \
	{"member_id", "BENE_MBI_ID", NULL, NULL}, {"claim_id", "CLM_CNTL_NUM", NULL, NULL}, \
	{"line", "=1", NULL, NULL},                                                         \
	{"from_date", "CLM_FROM_DT", "date:YYYY-MM-DD", NULL},                              \
	{"thru_date", "CLM_THRU_DT", "date:YYYY-MM-DD", NULL},                              \
	{"allowed", "CLM_PMT_AMT", "amount", NULL}, {"paid", "CLM_PMT_AMT", "amount", NULL}, \
	{"provider_id", "ATNDG_PRVDR_NPI_NUM", NULL, NULL},                                 \
	{"facility_id", "PRVDR_OSCAR_NUM", NULL, NULL}, {"drg", "DGNS_DRG_CD", NULL, NULL}, \
	{"category", "CLM_TYPE_CD", "map:60=inpatient,61=inpatient,40=outpatient,20=snf,"   \
	 "30=snf,10=home_health,50=hospice,*=institutional", NULL},                         \
	DX(1, "PRNCPL_DGNS_CD")

static const struct vbr_map_rule cclf1[] = {
	CCLF1_CLAIM,
	{NULL, NULL, NULL, NULL},
};

/* Part A versions net by the billing provider, the claim's dates and the
 * beneficiary (CCLF Information Packet, beneficiary-level expenditures). */
static const struct vbr_final_columns cclf1_final = {
	{"CLM_BLG_PRVDR_OSCAR_NUM", "CLM_FROM_DT", "CLM_THRU_DT", "BENE_MBI_ID"},
	"CLM_EFCTV_DT", "CLM_ADJSMT_TYPE_CD", "CUR_CLM_UNIQ_ID"};

/* CMS CCLF2, Part A revenue-center lines: fixed width, 199 bytes a
 * record. A line belongs to the header version of its CUR_CLM_UNIQ_ID in
 * CCLF1; it carries no adjustment code of its own. */
static const struct vbr_fixed_column cclf2_columns[] = {
	{"CUR_CLM_UNIQ_ID", 1, 13},        {"CLM_LINE_NUM", 14, 10},
	{"BENE_MBI_ID", 24, 11},           {"CLM_TYPE_CD", 46, 2},
	{"CLM_LINE_FROM_DT", 48, 10},      {"CLM_LINE_THRU_DT", 58, 10},
	{"CLM_LINE_PROD_REV_CTR_CD", 68, 4}, {"CLM_LINE_INSTNL_REV_CTR_DT", 72, 10},
	{"CLM_LINE_HCPCS_CD", 82, 5},      {"PRVDR_OSCAR_NUM", 98, 6},
	{"CLM_FROM_DT", 104, 10},          {"CLM_THRU_DT", 114, 10},
	{"CLM_LINE_SRVC_UNIT_QTY", 124, 24}, {"CLM_LINE_CVRD_PD_AMT", 148, 17},
	{"CLM_REV_APC_HIPPS_CD", 175, 5},  {"CLM_FAC_PRVDR_OSCAR_NUM", 180, 20},
};
static const struct vbr_fixed_layout cclf2_layout = {
	(struct vbr_fixed_column *)cclf2_columns, (int)LEN(cclf2_columns), 199};

/* cclf2's claim row from its CCLF1 header: line 0 holds what the header
 * paid beyond its lines (an inpatient stay's DRG payment). */
static const struct vbr_map_rule cclf2_header[] = {
	CCLF1_CLAIM,
	{"revenue_code", "=", NULL, NULL},
	{"hcpcs", "=", NULL, NULL},
	{NULL, NULL, NULL, NULL},
};
#undef CCLF1_CLAIM

/* A revenue-center line's own values; the rest is its header's. */
static const struct vbr_map_rule cclf2_line[] = {
	{"member_id", "BENE_MBI_ID", NULL, NULL},
	{"claim_id", "CUR_CLM_UNIQ_ID", NULL, NULL},
	{"line", "CLM_LINE_NUM", NULL, NULL},
	{"from_date", "CLM_LINE_FROM_DT|CLM_FROM_DT", "date:YYYY-MM-DD", NULL},
	{"thru_date", "CLM_LINE_THRU_DT|CLM_THRU_DT", "date:YYYY-MM-DD", NULL},
	{"allowed", "CLM_LINE_CVRD_PD_AMT", "amount", NULL},
	{"paid", "CLM_LINE_CVRD_PD_AMT", "amount", NULL},
	{"revenue_code", "CLM_LINE_PROD_REV_CTR_CD", NULL, NULL},
	{"hcpcs", "CLM_LINE_HCPCS_CD", NULL, NULL},
	{NULL, NULL, NULL, NULL},
};
static const char *const cclf2_line_columns[] = {
	"line", "from_date", "thru_date", "allowed", "paid", "revenue_code", "hcpcs", NULL,
};

/* CMS CCLF8, beneficiary demographics: fixed width, 549 bytes a record.
 * A CCLF8 file is the month's snapshot of the assigned beneficiaries, so
 * each record is one member month: the month ingest --month names, which
 * the rule "=MONTH" stands for (VBR_SPECIAL_SNAPSHOT). */
static const struct vbr_fixed_column cclf8_columns[] = {
	{"BENE_MBI_ID", 1, 11},            {"BENE_FIPS_STATE_CD", 23, 2},
	{"BENE_FIPS_CNTY_CD", 25, 3},      {"BENE_DOB", 33, 10},
	{"BENE_SEX_CD", 43, 1},            {"BENE_MDCR_STUS_CD", 48, 2},
	{"BENE_DUAL_STUS_CD", 50, 2},      {"BENE_DEATH_DT", 52, 10},
	{"GEO_ZIP5_CD", 541, 5},
};
static const struct vbr_fixed_layout cclf8_layout = {
	(struct vbr_fixed_column *)cclf8_columns, (int)LEN(cclf8_columns), 549};

static const struct vbr_map_rule cclf8[] = {
	{"member_id", "BENE_MBI_ID", NULL, NULL},
	{"month", "=MONTH", NULL, NULL},
	{"birth_date", "BENE_DOB", "date:YYYY-MM-DD", NULL},
	{"death_date", "BENE_DEATH_DT", "date:YYYY-MM-DD", NULL},
	{"sex", "BENE_SEX_CD", "map:1=M,2=F,*=U", NULL},
	{"region", "BENE_FIPS_STATE_CD", NULL, NULL},
	{"county", "BENE_FIPS_CNTY_CD", NULL, NULL},
	{"enrollment_type", "BENE_MDCR_STUS_CD+BENE_DUAL_STUS_CD", "medicare_enrollment", NULL},
	{NULL, NULL, NULL, NULL},
};

/* Tuva eligibility: enrollment spans expand into member months. */
static const struct vbr_map_rule tuva_eligibility[] = {
	{"member_id", "person_id", NULL, NULL},
	{"start_date", "enrollment_start_date", "date:YYYY-MM-DD", "reject"},
	{"end_date", "enrollment_end_date", "date:YYYY-MM-DD", "reject"},
	{"birth_date", "birth_date", "date:YYYY-MM-DD", NULL},
	{"death_date", "death_date", "date:YYYY-MM-DD", NULL},
	{"sex", "gender", "map:female=F,male=M,*=U", NULL},
	{"region", "state", NULL, NULL},
	{"plan", "plan", NULL, NULL},
	{"enrollment_type", "medicare_status_code+dual_status_code", "medicare_enrollment", NULL},
	{"hospice", "hospice_flag", "map:1=Y,0=N", NULL},
	{"institutional", "long_term_institutional_flag", "map:1=Y,0=N", NULL},
	{NULL, NULL, NULL, NULL},
};

const struct vbr_profile vbr_profiles[] = {
	{"desynpuf-beneficiary", VBR_KIND_ELIGIBILITY, VBR_SPECIAL_BENEFICIARY, NULL,
	 "DE-SynPUF beneficiary summary → eligibility member months", .layout = NULL},
	{"desynpuf-inpatient", VBR_KIND_CLAIMS, VBR_SPECIAL_SEGMENTS, desynpuf_inpatient,
	 "DE-SynPUF inpatient claims → claim lines (one per segment)", .layout = NULL},
	{"desynpuf-outpatient", VBR_KIND_CLAIMS, VBR_SPECIAL_SEGMENTS, desynpuf_outpatient,
	 "DE-SynPUF outpatient claims → claim lines (one per segment)", .layout = NULL},
	{"desynpuf-carrier", VBR_KIND_CLAIMS, VBR_SPECIAL_NONE, desynpuf_carrier,
	 "DE-SynPUF carrier claims → claim lines (13 line items unpivoted)", .layout = NULL},
	{"desynpuf-pde", VBR_KIND_CLAIMS, VBR_SPECIAL_NONE, desynpuf_pde,
	 "DE-SynPUF prescription drug events → claim lines", .layout = NULL},
	{"tuva-medical-claim", VBR_KIND_CLAIMS, VBR_SPECIAL_NONE, tuva_medical_claim,
	 "Tuva Project medical_claim → claim lines", .layout = NULL},
	{"cclf8", VBR_KIND_ELIGIBILITY, VBR_SPECIAL_SNAPSHOT, cclf8,
	 "CMS CCLF8 beneficiary demographics (fixed width) → one member month (--month)",
	 .layout = &cclf8_layout},
	{"cclf1", VBR_KIND_CLAIMS, VBR_SPECIAL_FINAL_ACTION, cclf1,
	 "CMS CCLF1 Part A claim headers (fixed width) → final-action claims",
	 .layout = &cclf1_layout, .final = &cclf1_final},
	{"cclf2", VBR_KIND_CLAIMS, VBR_SPECIAL_REVENUE_LINES, cclf2_header,
	 "CMS CCLF2 Part A revenue-center lines (fixed width; --headers CCLF1) → "
	 "final-action claim lines",
	 .layout = &cclf2_layout, .final = &cclf1_final, .header_layout = &cclf1_layout,
	 .line_rules = cclf2_line, .line_columns = cclf2_line_columns},
	{"cclf5", VBR_KIND_CLAIMS, VBR_SPECIAL_FINAL_ACTION, cclf5,
	 "CMS CCLF5 Part B physician lines (fixed width) → final-action claim lines",
	 .layout = &cclf5_layout, .final = &cclf5_final},
	{"tuva-pharmacy-claim", VBR_KIND_CLAIMS, VBR_SPECIAL_NONE, tuva_pharmacy_claim,
	 "Tuva Project pharmacy_claim → claim lines", .layout = NULL},
	{"tuva-eligibility", VBR_KIND_ELIGIBILITY, VBR_SPECIAL_NONE, tuva_eligibility,
	 "Tuva Project eligibility spans → member months", .layout = NULL},
	{.name = NULL},
};

const struct vbr_profile *vbr_profile_find(const char *name)
{
	for (const struct vbr_profile *p = vbr_profiles; p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

const char *vbr_profile_suggest(const char *name)
{
	const char *names[64];
	size_t n = 0;
	for (const struct vbr_profile *p = vbr_profiles; p->name && n < LEN(names); p++)
		names[n++] = p->name;
	return vbr_suggest(name, names, n);
}
