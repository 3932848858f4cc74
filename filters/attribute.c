/*
 * attribute — assign each member, per period, to the org responsible for
 * them by plurality of allowed charges for primary care services: the MSSP
 * two-step method (42 CFR 425.402), attribute(1).
 *
 * Step 1 counts qualifying services by primary care providers; step 2, only
 * for a member with no step-1 service in the window, services by
 * specialists. Competitors are the roster orgs and, for a provider not on
 * the roster, its TIN (else the provider itself). The member goes to the
 * competitor with the largest qualifying allowed total (ties: the most
 * recent service, then the smallest id) and is attributed only when that
 * winner is a roster org.
 *
 * Memory follows the members: an interned id, two list heads, and one
 * 24-byte entry per (member, period, competitor) seen; a member's step-2
 * entries are dropped as soon as it has a step-1 service.
 *
 * --claim-sums: the same pass also makes cap-large-claims --sum-only's
 * claim sums (claimsums.h, its own code), so a pipeline that needs both
 * parses the claims once; 56 bytes more per member: the list heads move
 * into the member's claim-sums record, one cache line for both.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "account.h"
#include "claimsums.h"
#include "cli.h"
#include "columns.h"
#include "error.h"
#include "handoff.h"
#include "intern.h"
#include "money.h"
#include "period.h"
#include "prefetch.h"
#include "reader.h"
#include "value.h"
#include "writer.h"


/* Primary care service codes of 42 CFR 425.400(c)(1) (MSSP assignment), as
 * amended through the CY 2023 physician fee schedule; see attribute(1). */
static const char *const builtin_codes[] = {
	/* office and outpatient E/M */
	"99201", "99202", "99203", "99204", "99205",
	"99211", "99212", "99213", "99214", "99215",
	/* nursing facility (discharge 99315-99316 included) */
	"99304", "99305", "99306", "99307", "99308", "99309", "99310",
	"99315", "99316", "99318",
	/* domiciliary, rest home and home visits */
	"99324", "99325", "99326", "99327", "99328", "99334", "99335", "99336",
	"99337", "99339", "99340", "99341", "99342", "99343", "99344", "99345",
	"99347", "99348", "99349", "99350",
	/* prolonged services */
	"99354", "99355", "99417", "G2212",
	/* annual wellness visits, welcome to Medicare */
	"G0402", "G0438", "G0439",
	/* transitional care and chronic/principal care management */
	"99495", "99496", "99490", "99491", "99487", "99489", "99439",
	"99424", "99425", "99426", "99427", "G0506", "G2058",
	/* advance care planning, behavioural health integration */
	"99497", "99498", "99484", "99492", "99493", "99494", "G2214",
	/* preventive counselling and screening */
	"G0442", "G0443", "G0444", "G0446", "G0447", "99406", "99407",
	/* virtual check-ins and e-visits */
	"G2010", "G2012", "99421", "99422", "99423",
	/* RHC, FQHC and method II critical access hospital clinic visits */
	"G0463", "G0466", "G0467", "G0468", "G0469", "G0470",
	NULL,
};

/* Medicare specialty codes counted as primary care for providers not on the
 * roster: general practice, family practice, internal medicine, pediatrics,
 * geriatrics, nurse practitioner, clinical nurse specialist, physician
 * assistant. */
static const char *const pcp_specialties[] = {"01", "08", "11", "37", "38", "50", "89", "97", NULL};

enum role { ROLE_PCP, ROLE_SPECIALIST, ROLE_OTHER };
static const struct vbr_name roles[] = {
	{"pcp", ROLE_PCP}, {"specialist", ROLE_SPECIALIST}, {"other", ROLE_OTHER}, {NULL, 0}};

struct options {
	struct vbr_cli cli;
	const char *roster, *codes, *tee, *claim_sums, *claim_sums_rejects;
};

static const struct vbr_option options[] = {
	VBR_OPT(struct options, roster, "roster", 0, VBR_ARG_TEXT, "FILE",
		"providers and their orgs: provider_id, org_id, optional role (pcp, "
		"specialist, other)", .flags = VBR_REQUIRED),
	VBR_OPT(struct options, codes, "codes", 0, VBR_ARG_TEXT, "FILE",
		"qualifying service codes (column hcpcs), replacing the built-in primary "
		"care list"),
	VBR_OPT(struct options, tee, "tee", 0, VBR_ARG_TEXT, "FILE",
		"copy the claims as read (inflated) to FILE, a pipe or FIFO to a second "
		"tool, so the claims are read once; one operand"),
	VBR_OPT(struct options, claim_sums, "claim-sums", 0, VBR_ARG_TEXT, "FILE",
		"also write cap-large-claims --sum-only's claim sums of the same claims to "
		"FILE, in this one pass over them"),
	VBR_OPT(struct options, claim_sums_rejects, "claim-sums-rejects", 0, VBR_ARG_TEXT, "FILE",
		"the claim lines the claim sums reject (--rejects' format; --max-rejects "
		"applies to each); needed with --claim-sums and --rejects"),
	{.name = NULL},
};

/* Is the file `path` one of the claims operands? */
static int is_an_operand(const struct options *o, const char *path)
{
	struct stat a, b;
	if (stat(path, &a) != 0)
		return 0;
	for (int i = 0; i < o->cli.noperands; i++)
		if (stat(o->cli.operands[i], &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return 1;
	return 0;
}

/* --tee copies one stream: one operand (a second would repeat its header),
 * and not onto the claims themselves; nor are the claim sums or their
 * rejects written over the claims. With --rejects the claim sums need
 * their own rejects file: each output accounts for every line. */
static void check_args(void *opts)
{
	struct options *o = opts;
	if (o->tee && o->cli.noperands > 1)
		vbr_cli_usage_error(&o->cli, "--tee: one claims operand, not %d", o->cli.noperands);
	if (o->tee && is_an_operand(o, o->tee))
		vbr_cli_usage_error(&o->cli, "--tee: '%s' is the claims operand itself", o->tee);
	if (o->claim_sums && is_an_operand(o, o->claim_sums))
		vbr_cli_usage_error(&o->cli, "--claim-sums: '%s' is a claims operand", o->claim_sums);
	if (o->claim_sums_rejects && !o->claim_sums)
		vbr_cli_usage_error(&o->cli, "--claim-sums-rejects: only with --claim-sums");
	if (o->claim_sums_rejects && is_an_operand(o, o->claim_sums_rejects))
		vbr_cli_usage_error(&o->cli, "--claim-sums-rejects: '%s' is a claims operand",
				    o->claim_sums_rejects);
	if (o->claim_sums && o->cli.rejects && !o->claim_sums_rejects)
		vbr_cli_usage_error(&o->cli, "--claim-sums with --rejects: give the claim sums' "
				    "rejects file too (--claim-sums-rejects FILE)");
}

static const struct vbr_command command = {
	.name = "attribute",
	.about = "Attribute each member, per period, to the org with the plurality of "
		"its primary care allowed charges (the MSSP two-step method).",
	.operands = "claims ...",
	.operands_help = "claim lines (ingest(1)); none or -: standard input",
	.options = options,
	.groups = VBR_WITH_TERMS | VBR_WITH_REJECTS | VBR_WITH_VERBOSE,
	.check = check_args,
};

/* One competitor's qualifying services for one member and period. A
 * member-period's competitors are a block of entries side by side in the
 * pool (add_service), so that a claim line by paid date, whose member's
 * entries are a cache miss, finds them in the one or two cache lines
 * prefetched for it. 20 bytes, packed: the pool is most of attribute's
 * memory (attribute(1), Memory). */
struct __attribute__((packed, aligned(4))) entry {
	uint32_t competitor;    /* | LAST_ENTRY on a block's last entry; a
				 * free block's first: the next free block + 1 */
	int32_t last;           /* most recent service, days */
	uint32_t services;
	int64_t allowed;        /* cents */
};
_Static_assert(sizeof(struct entry) == 20, "entries are packed");

#define LAST_ENTRY 0x80000000u  /* in an entry's competitor: the block ends here */
#define HAS_STEP1 0x80000000u   /* in a list head: the list is step 1 */
#define POOL_MAX 0x7fffffffu    /* entries the heads can point to (below HAS_STEP1) */
#define BLOCK_CLASSES 64        /* capacities 1, 2, ..., 8, 12, 16, ..., 2^31 */

struct state {
	struct options *opt;
	struct vbr_periods per;
	int32_t win_lo[VBR_NPERIODS], win_hi[VBR_NPERIODS];   /* days */
	struct vbr_intern providers, competitors, codes, pcp_spec;
	uint32_t *prov_comp;    /* provider → competitor + 1 (roster orgs) */
	uint8_t *prov_role;
	size_t prov_cap, role_cap;
	struct vbr_account acct;
	int slot_not_qualifying, slot_outside, slot_other_role, slot_no_provider;
	uint64_t attributed[VBR_NPERIODS], elsewhere[VBR_NPERIODS], none[VBR_NPERIODS];
	/* the claim loop's two halves (handoff.h); below, what the summing
	 * half writes while the reading half works */
	struct vbr_handoff handoff;
	VBR_HANDOFF_PAD(pad);
	struct vbr_intern members;
	uint32_t *head;         /* member × period → list (heads()) */
	size_t head_cap;
	struct entry *pool;
	uint32_t npool;
	uint32_t free_block[BLOCK_CLASSES];    /* per capacity: a free block + 1 */
	size_t cap_pool;
	struct vbr_intern_memo member_memo;
	struct vbr_claim_sums csum;     /* --claim-sums: member × period */
	/* --claim-sums: the reading half's columns and the sums' own account */
	struct vbr_claim_costs costs;
	struct vbr_account sums_acct;
	struct vbr_writer sums_out;
};

/* Competitor key: "o:" org, "t:" TIN, "p:" provider; the name follows. */
static uint32_t competitor(struct state *s, struct vbr_find_cache *c, char kind, const char *p,
			   size_t n)
{
	char key[512];
	if (n > sizeof key - 2)
		n = sizeof key - 2;
	key[0] = kind;
	key[1] = ':';
	memcpy(key + 2, p, n);
	uint32_t id = c ? vbr_intern_cached(&s->competitors, c, key, n + 2)
			: vbr_intern(&s->competitors, key, n + 2);
	if (id >= LAST_ENTRY)           /* the entries mark their block's end there */
		vbr_die(EX_DATAERR, "more than %u competitors (orgs, TINs, providers)", LAST_ENTRY);
	return id;
}

/* Roster: provider → (org, role). A provider in two orgs or with an unknown
 * role is bad data: exit 65 naming the line. */
static void load_roster(struct state *s)
{
	struct vbr_reader r;
	char why[256];
	vbr_reader_open_side(&r, s->opt->roster, EX_DATAERR);
	int cp = vbr_reader_require(&r, "provider_id"), co = vbr_reader_require(&r, "org_id");
	int cr = vbr_reader_column(&r, "role");
	vbr_intern_init(&s->providers);
	while (vbr_reader_next(&r)) {
		struct vbr_field *f = r.field;
		vbr_field_id(NULL, &r, cp);
		vbr_field_id(NULL, &r, co);
		int role = ROLE_PCP;
		if (cr >= 0) {
			const struct vbr_field *x = &f[cr];
			if (vbr_name_find(roles, x->p, x->n, &role) != 0)
				vbr_die(EX_DATAERR, "%s: %s (pcp, specialist or other)",
					vbr_reader_place(&r),
					vbr_value_reason(why, sizeof why, "role", cr, "role",
							 x->n ? VBR_INVALID : VBR_MISSING, x->p, x->n));
		}
		uint32_t id = vbr_intern(&s->providers, f[cp].p, f[cp].n);
		uint32_t org = competitor(s, NULL, 'o', f[co].p, f[co].n);
		s->prov_comp = vbr_grow_zeroed(s->prov_comp, &s->prov_cap, (size_t)id + 1,
					       sizeof *s->prov_comp);
		s->prov_role = vbr_grow_zeroed(s->prov_role, &s->role_cap, (size_t)id + 1,
					       sizeof *s->prov_role);
		if (s->prov_comp[id] && (s->prov_comp[id] != org + 1 || s->prov_role[id] != role)) {
			size_t n;
			const char *prev = vbr_intern_str(&s->competitors, s->prov_comp[id] - 1, &n);
			vbr_die(EX_DATAERR, "%s: provider '%.*s' is on the roster twice "
				"(also org '%.*s')", vbr_reader_place(&r), (int)f[cp].n,
				f[cp].p, (int)n - 2, prev + 2);
		}
		s->prov_comp[id] = org + 1;
		s->prov_role[id] = (uint8_t)role;
	}
	vbr_reader_close(&r);
}

/* Qualifying codes: the built-in list, or a file with column hcpcs. */
static void load_codes(struct state *s)
{
	vbr_intern_init(&s->codes);
	if (!s->opt->codes) {
		for (const char *const *c = builtin_codes; *c; c++)
			vbr_intern(&s->codes, *c, strlen(*c));
		return;
	}
	vbr_id_list_load(s->opt->codes, "hcpcs", &s->codes);
}

/* Attribution windows: each period itself, or with look-back N the N whole
 * months before the period starts (prospective attribution). */
static void set_windows(struct state *s)
{
	int64_t lookback = 0;
	vbr_term_count(&s->opt->cli.terms, NULL, "attribution_lookback_months", &lookback);
	for (int k = 0; k < VBR_NPERIODS; k++) {
		if (lookback == 0) {
			s->win_lo[k] = s->per.start[k];
			s->win_hi[k] = s->per.end[k];
		} else {
			s->win_lo[k] = vbr_first_day_of_month(s->per.start_month[k] - (int32_t)lookback);
			s->win_hi[k] = vbr_first_day_of_month(s->per.start_month[k]) - 1;
		}
	}
}

/* The lead bytes of a --claim-sums record that hold the list heads. */
#define HEADS_LEAD 16
_Static_assert(HEADS_LEAD >= VBR_NPERIODS * sizeof(uint32_t), "the heads fit the lead");

/* A member's list heads, one per period: in their own table, or with
 * --claim-sums in the first bytes of the member's claim-sums record, so
 * that a claim line on paid-date order, whose member is a cache miss,
 * finds its heads and its sums in one line. */
static inline uint32_t *heads(const struct state *s, uint32_t m)
{
	if (s->csum.lead)
		return (uint32_t *)(s->csum.rec + (size_t)m * vbr_claim_sums_size(&s->csum));
	return &s->head[(size_t)m * VBR_NPERIODS];
}

/* Are member m's heads there yet (the prefetch steps run before a new
 * member's are made)? */
static inline int has_heads(const struct state *s, uint32_t m)
{
	return s->csum.lead ? m < s->csum.cap : ((size_t)m + 1) * VBR_NPERIODS <= s->head_cap;
}

/* Make heads, zero (no list yet), for every member known so far. */
static void grow_heads(struct state *s)
{
	uint32_t m = s->members.count - 1;
	if (s->csum.lead)
		(void)vbr_claim_sums_record(&s->csum, m);
	else
		s->head = vbr_grow_mapped(s->head, &s->head_cap, ((size_t)m + 1) * VBR_NPERIODS,
					  sizeof *s->head);
}

/* The capacity of a block that holds n entries (n ≥ 1): n up to 8 (most
 * member-periods have fewer competitors: a block of those has no room
 * unused, and grows by one), then 12, 16, 24, 32, ...: by half or a third. */
static inline uint32_t block_capacity(uint32_t n)
{
	if (n <= 8)
		return n;
	uint32_t p = 1u << (31 - __builtin_clz(n - 1));   /* the power of two below n */
	return n <= p + p / 2 ? p + p / 2 : 2 * p;
}

/* A capacity's free list: 1..8 are 0..7; 2^k is 2k + 1, 3 × 2^k is 2k + 4. */
static inline unsigned block_class(uint32_t cap)
{
	if (cap <= 8)
		return cap - 1;
	unsigned lg = 31u - (unsigned)__builtin_clz(cap);
	return cap & (cap - 1) ? 2 * lg + 2 : 2 * lg + 1;
}

/* A block of cap entries: one freed of that capacity (the next freed one
 * is prefetched: it is the next taken), or new at the pool's end. */
static uint32_t take_block(struct state *s, uint32_t cap)
{
	uint32_t *free = &s->free_block[block_class(cap)];
	if (*free) {
		uint32_t i = *free - 1;
		*free = s->pool[i].competitor;
		if (*free)
			vbr_prefetch(&s->pool[*free - 1]);
		return i;
	}
	if (cap > POOL_MAX - s->npool)
		vbr_die(EX_DATAERR, "more than %u qualifying competitors of members and periods",
			POOL_MAX);
	s->pool = vbr_grow_mapped(s->pool, &s->cap_pool, (size_t)s->npool + cap, sizeof *s->pool);
	uint32_t i = s->npool;
	s->npool += cap;
	return i;
}

static void give_block(struct state *s, uint32_t i, uint32_t cap)
{
	uint32_t *free = &s->free_block[block_class(cap)];
	s->pool[i].competitor = *free;
	*free = i + 1;
}

/* The entries of the block at pool[i]: up to its last. */
static inline uint32_t block_entries(const struct state *s, uint32_t i)
{
	uint32_t n = 1;
	while (!(s->pool[i + n - 1].competitor & LAST_ENTRY))
		n++;
	return n;
}

/* An entry's competitor, without the block's end mark. */
static inline uint32_t entry_competitor(const struct entry *e)
{
	return e->competitor & ~LAST_ENTRY;
}

/* Entry i of a block to its front, the block's end marked where it was. */
static inline void to_front(struct entry *e, uint32_t i)
{
	uint32_t end0 = e[0].competitor & LAST_ENTRY, endi = e[i].competitor & LAST_ENTRY;
	struct entry t = e[i];
	e[i] = e[0];
	e[0] = t;
	e[0].competitor = (e[0].competitor & ~LAST_ENTRY) | end0;
	e[i].competitor = (e[i].competitor & ~LAST_ENTRY) | endi;
}

/* Add one qualifying service to the member's list for a period; nonzero
 * when a competitor's allowed sum overflows (bad data, 65). */
static int add_service(struct state *s, uint32_t member, int k, int step, uint32_t comp,
		       int64_t allowed, int32_t day)
{
	uint32_t *h = &heads(s, member)[k];
	if (step == 2 && (*h & HAS_STEP1))
		return 0;                       /* step 2 no longer matters */
	if (step == 1 && !(*h & HAS_STEP1)) {
		/* first step-1 service: the step-2 list is dropped */
		if (*h)
			give_block(s, *h - 1, block_capacity(block_entries(s, *h - 1)));
		*h = HAS_STEP1;
	}
	uint32_t at = *h & ~HAS_STEP1, n = 0;     /* the block + 1, its entries */
	if (at) {
		struct entry *e = &s->pool[at - 1];
		for (uint32_t c;; n++) {
			c = e[n].competitor;
			if ((c & ~LAST_ENTRY) != comp) {
				if (c & LAST_ENTRY)
					break;
				continue;
			}
			int64_t sum;
			if (vbr_add_cents(e[n].allowed, allowed, &sum))
				return 1;
			e[n].allowed = sum;
			e[n].services++;
			if (day > e[n].last)
				e[n].last = day;
			/* to the front: a member's usual provider is then in the
			 * line prefetched (ahead_entries); the winner does not
			 * depend on the order */
			if (n)
				to_front(e, n);
			return 0;
		}
		e[n++].competitor &= ~LAST_ENTRY;       /* n: the entries */
		if (n == block_capacity(n)) {           /* full: a larger block */
			uint32_t to = take_block(s, block_capacity(n + 1));
			memcpy(&s->pool[to], &s->pool[at - 1], n * sizeof *s->pool);
			give_block(s, at - 1, n);
			at = to + 1;
			*h = (*h & HAS_STEP1) | at;
		}
	} else {
		at = take_block(s, 1) + 1;
		*h = (*h & HAS_STEP1) | at;
	}
	s->pool[at - 1 + n] = (struct entry){.competitor = comp | LAST_ENTRY, .last = day,
					     .services = 1, .allowed = allowed};
	return 0;
}

/* Prefetch steps (batch.h): a batch's members' list heads before its
 * lines are summed, then the first entries of each list (the competitor
 * found is moved to the front, so it is the likely one). */
static void ahead_heads(void *ctx, uint32_t m)
{
	const struct state *s = ctx;
	if (s->csum.lead)
		vbr_claim_sums_ahead(&s->csum, m);      /* the heads too */
	else if (has_heads(s, m))
		vbr_prefetch(heads(s, m));
}

/* The first two entries of the block at pool[i] (40 bytes: one or two
 * cache lines). */
static inline void ahead_block(const struct state *s, uint32_t i)
{
	vbr_prefetch(&s->pool[i]);
	vbr_prefetch((const char *)&s->pool[i] + 2 * sizeof *s->pool - 1);
}

static void ahead_entries(void *ctx, uint32_t m)
{
	const struct state *s = ctx;
	if (!has_heads(s, m))
		return;
	const uint32_t *h = heads(s, m);
	for (int k = 0; k < VBR_NPERIODS; k++) {
		uint32_t i = h[k] & ~HAS_STEP1;
		if (i)
			ahead_block(s, i - 1);
	}
}

/* Open --tee's FILE; a pipe gets a 1 MiB buffer (fewer, larger writes:
 * the copy costs the claims' bytes once more, not a second inflate). */
static int open_tee(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		vbr_die_errno(EX_IOERR, "%s: cannot open for --tee", path);
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
		(void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);   /* a smaller buffer still works */
	return fd;
}

/* What the reading half keeps of a valid claim line for the summing half:
 * the periods it is a qualifying service in (none: its member is only
 * made known) and the service; with --claim-sums, its paid and the period
 * its cost is summed in (-1: none). */
struct service_item {
	int64_t allowed, paid;
	int32_t day;
	uint32_t competitor;
	int8_t sum_period;
	uint8_t in;             /* bit k: a qualifying service in period k */
	uint8_t step;
};

/* The reading half's columns and caches: codes, providers and TINs recur
 * all through the claims. */
struct claim_columns {
	int cm, cd, ca, cp, ch, ct, cs;
	struct vbr_find_cache codes, providers, specialties, competitors;
};

/* The periods (bits) in which claim line f is a qualifying service, with
 * its competitor and step in c; a line that is a qualifying service in no
 * period is counted as left out, under the reason why. */
static uint8_t qualifying(struct state *s, struct claim_columns *k, const struct vbr_field *f,
			  struct service_item *c)
{
	if (vbr_intern_find_cached(&s->codes, &k->codes, f[k->ch].p, f[k->ch].n) ==
	    VBR_NOT_INTERNED) {
		s->acct.left[s->slot_not_qualifying].n++;
		return 0;
	}
	uint8_t in = 0;
	for (int p = 0; p < VBR_NPERIODS; p++)
		in |= (uint8_t)((c->day >= s->win_lo[p] && c->day <= s->win_hi[p]) << p);
	if (!in) {
		s->acct.left[s->slot_outside].n++;
		return 0;
	}
	if (f[k->cp].n == 0) {
		s->acct.left[s->slot_no_provider].n++;
		return 0;
	}
	uint32_t pid = vbr_intern_find_cached(&s->providers, &k->providers, f[k->cp].p, f[k->cp].n);
	if (pid != VBR_NOT_INTERNED) {
		if (s->prov_role[pid] == ROLE_OTHER) {
			s->acct.left[s->slot_other_role].n++;
			return 0;
		}
		c->competitor = s->prov_comp[pid] - 1;
		c->step = s->prov_role[pid] == ROLE_PCP ? 1 : 2;
	} else {
		int ct = k->ct, cs = k->cs;
		c->competitor = ct >= 0 && f[ct].n
			? competitor(s, &k->competitors, 't', f[ct].p, f[ct].n)
			: competitor(s, &k->competitors, 'p', f[k->cp].p, f[k->cp].n);
		c->step = cs < 0 || f[cs].n == 0 ||
			  vbr_intern_find_cached(&s->pcp_spec, &k->specialties, f[cs].p, f[cs].n) !=
				  VBR_NOT_INTERNED ? 1 : 2;
	}
	return in;
}

/* Line j of the batch: its member made known, its claim sums and its
 * services added; 0 when a sum overflows (the run then fails, 65). */
static inline int add_line(void *ctx, struct vbr_batch *b, unsigned j)
{
	struct state *s = ctx;
	const struct service_item *c = vbr_batch_item(b, j);
	uint32_t member = b->id[j];
	if (member == VBR_NOT_INTERNED) {
		member = vbr_batch_intern(b, j, &s->members, &s->member_memo);
		grow_heads(s);
	}
	if (c->sum_period >= 0) {
		struct vbr_claim_cost cost = {.allowed = c->allowed, .paid = c->paid,
					      .day = c->day, .period = c->sum_period};
		if (vbr_claim_sums_add(&s->csum, member, &cost)) {
			vbr_handoff_fail(&s->handoff, b, j, VBR_CLAIM_SUM_OVERFLOWS);
			return 0;
		}
	}
	for (int k = 0; k < VBR_NPERIODS; k++)
		if (c->in >> k & 1 &&
		    add_service(s, member, k, c->step, c->competitor, c->allowed, c->day)) {
			vbr_handoff_fail(&s->handoff, b, j, "the member's allowed sum for "
					 "one competitor overflows");
			return 0;
		}
	return 1;
}

/* The summing half (handoff.h): every member made known, in the order of
 * its lines (even one with no qualifying service), and each service added
 * to its member's lists; a window of lines at a time (batch.h). */
static void add_services(void *ctx, struct vbr_batch *b)
{
	struct state *s = ctx;
	vbr_batch_sum(b, &s->members, (vbr_batch_fn *const[]){ahead_heads, ahead_entries}, s,
		      add_line);
}

/* Read the claims: validate every line, keep the qualifying services. This
 * is the reading half: each line checked and its competitor and step found
 * here, its member and services added by add_services a batch at a time
 * (on a second thread for a plain file: handoff.h). */
static void read_claims(struct state *s)
{
	struct vbr_reader r;
	int tee = s->opt->tee ? open_tee(s->opt->tee) : -1;
	vbr_reader_open_tee(&r, s->opt->cli.operands, s->opt->cli.noperands, tee, s->opt->tee);
	struct claim_columns k = {
		.cm = vbr_reader_require(&r, "member_id"), .cd = vbr_reader_require(&r, "from_date"),
		.ca = vbr_reader_require(&r, "allowed"), .cp = vbr_reader_require(&r, "provider_id"),
		.ch = vbr_reader_require(&r, "hcpcs"), .ct = vbr_reader_column(&r, "tin"),
		.cs = vbr_reader_column(&r, "specialty"),
	};
	int sums = s->opt->claim_sums != NULL;
	if (sums)
		vbr_claim_costs_open(&s->costs, &r, &s->sums_acct, &s->per, &s->opt->cli.terms);
	s->member_memo = (struct vbr_intern_memo)VBR_MEMO_EMPTY;
	vbr_handoff_start(&s->handoff, &r, sizeof(struct service_item), add_services, s,
			  vbr_handoff_threads(&r));
	while (!vbr_handoff_stopped(&s->handoff) && vbr_reader_next(&r)) {
		struct vbr_field *f = r.field;
		struct service_item c = {.sum_period = -1};
		struct vbr_claim_cost cost;
		s->acct.read++;
		if (r.defect || !vbr_field_id(&s->acct, &r, k.cm) ||
		    !vbr_field_date(&s->acct, &r, k.cd, &c.day) ||
		    !vbr_field_amount(&s->acct, &r, k.ca, &c.allowed)) {
			if (r.defect)
				vbr_reject(&s->acct, &r, r.defect);
			/* the claim sums check these fields too: they reject it
			 * as well, for the reason cap-large-claims gives */
			if (sums && vbr_claim_cost(&s->costs, &s->sums_acct, &r, &cost))
				vbr_die(EX_SOFTWARE, "%s: a line the claim sums keep", vbr_reader_place(&r));
			continue;
		}
		if (sums) {
			cost.day = c.day;
			cost.allowed = c.allowed;
			if (vbr_claim_cost_given(&s->costs, &s->sums_acct, &r, &cost)) {
				c.paid = cost.paid;
				c.sum_period = (int8_t)cost.period;
			}
		}
		c.in = qualifying(s, &k, f, &c);
		/* every member is known, even one with no qualifying service */
		vbr_handoff_add(&s->handoff, &c, sizeof c, f[k.cm].p, f[k.cm].n);
	}
	vbr_handoff_finish(&s->handoff);
	s->sums_acct.read = s->acct.read;
	vbr_reader_close(&r);
	if (tee >= 0 && close(tee) != 0)
		vbr_die_errno(EX_IOERR, "%s: --tee", s->opt->tee);
}

/* Does competitor a beat b? Larger allowed, then the more recent service,
 * then the smaller id (the name; an org before a TIN or provider of the
 * same name). */
static int beats(const struct state *s, const struct entry *a, const struct entry *b)
{
	if (a->allowed != b->allowed)
		return a->allowed > b->allowed;
	if (a->last != b->last)
		return a->last > b->last;
	size_t na, nb;
	const char *pa = vbr_intern_str(&s->competitors, entry_competitor(a), &na);
	const char *pb = vbr_intern_str(&s->competitors, entry_competitor(b), &nb);
	int c = memcmp(pa + 2, pb + 2, (na < nb ? na : nb) - 2);
	if (c == 0)
		c = na != nb ? (na > nb) - (na < nb) : pa[0] - pb[0];
	return c < 0;
}

/* A competitor's name: its interned id without the kind prefix. */
static struct vbr_text competitor_name(const struct state *s, uint32_t c)
{
	size_t n;
	const char *p = vbr_intern_str(&s->competitors, c, &n);
	return (struct vbr_text){p + 2, n - 2};
}

/* One attribution row: the winner, its basis, and the runner-up an
 * auditor compares it with. */
struct row {
	struct vbr_text member, period, org;
	int64_t step, basis_allowed, basis_services, total_allowed;
	struct vbr_text runner_up;
	int64_t runner_up_allowed;
};

/* attribute(1) OUTPUT */
#define COL(kind, ...) VBR_COL_##kind(struct row, __VA_ARGS__)
static const struct vbr_column columns[] = {
	VBR_COLS_MEMBER_PERIOD_ORG(struct row),
	COL(COUNT, step, "step"),
	COL(CENTS, basis_allowed, "basis_allowed"),
	COL(COUNT, basis_services, "basis_services"),
	COL(CENTS, total_allowed, "total_allowed"),
	VBR_COL_ID(struct row, runner_up, "runner_up"),
	COL(CENTS, runner_up_allowed, "runner_up_allowed"),
	{.name = NULL},
};

static void overflow_total(const struct state *s, uint32_t member, int k)
	__attribute__((noreturn));

/* A member-period's total qualifying allowed does not fit in int64 cents. */
static void overflow_total(const struct state *s, uint32_t member, int k)
{
	size_t n;
	const char *p = vbr_intern_str(&s->members, member, &n);
	vbr_die(EX_DATAERR, "member '%.*s', %s period: the total qualifying allowed overflows",
		(int)n, p, vbr_period_name[k]);
}

/* Start loading what decide reads of the members a few places on: in
 * member order the members of claims by paid date are scattered through
 * the records and the pool (measured: decide 110 ms → 84 ms on the bench's
 * paid-date claims, 55 ms on member order). */
static void decide_ahead(const struct state *s, const uint32_t *order, uint32_t j, uint32_t n)
{
	vbr_intern_ahead(&s->members, order, j, n);
	if (j + 16 < n)
		vbr_prefetch(heads(s, order[j + 16]));
	if (j + 8 < n) {
		const uint32_t *h = heads(s, order[j + 8]);
		for (int k = 0; k < VBR_NPERIODS; k++)
			if (h[k] & ~HAS_STEP1)
				ahead_block(s, (h[k] & ~HAS_STEP1) - 1);
	}
}

/* Decide every member-period, in member order, and write the attributed. */
static void decide(struct state *s, struct vbr_writer *w, const uint32_t *order)
{
	uint32_t n = s->members.count;

	vbr_columns_stdout(w, columns, 0);
	for (uint32_t j = 0; j < n; j++) {
		uint32_t m = order[j];
		decide_ahead(s, order, j, n);
		for (int k = 0; k < VBR_NPERIODS; k++) {
			uint32_t h = heads(s, m)[k];
			const struct entry *win = NULL, *second = NULL;
			int64_t total = 0;
			uint32_t at = h & ~HAS_STEP1, entries = at ? block_entries(s, at - 1) : 0;
			for (uint32_t i = 0; i < entries; i++) {
				const struct entry *e = &s->pool[at - 1 + i];
				if (vbr_add_cents(total, e->allowed, &total))
					overflow_total(s, m, k);
				if (!win || beats(s, e, win)) {
					second = win;
					win = e;
				} else if (!second || beats(s, e, second)) {
					second = e;
				}
			}
			if (!win || win->allowed <= 0) {
				s->none[k]++;
				continue;
			}
			size_t cn;
			const char *cname = vbr_intern_str(&s->competitors, entry_competitor(win), &cn);
			if (cname[0] != 'o') {
				s->elsewhere[k]++;
				continue;
			}
			s->attributed[k]++;
			s->acct.written++;
			struct row row = {
				.period = {vbr_period_name[k], strlen(vbr_period_name[k])},
				.org = competitor_name(s, entry_competitor(win)),
				.step = h & HAS_STEP1 ? 1 : 2,
				.basis_allowed = win->allowed,
				.basis_services = win->services,
				.total_allowed = total,
				.runner_up_allowed = second ? second->allowed : VBR_EMPTY,
			};
			row.member.p = vbr_intern_str(&s->members, m, &row.member.n);
			if (second)
				row.runner_up = competitor_name(s, entry_competitor(second));
			vbr_columns_row(w, columns, 0, &row);
		}
	}
}

/* --claim-sums: the claim sums written on a thread of their own while
 * decide writes the attribution; both only read the members' records (the
 * sums, the heads) and the member ids, and each writes its own file. */
struct sums_writing {
	struct state *s;
	const uint32_t *order;
};

static void *write_claim_sums(void *arg)
{
	struct sums_writing *j = arg;
	vbr_claim_sums_write(&j->s->csum, &j->s->sums_out, &j->s->members, j->order, 0, NULL, 0);
	return NULL;
}

static int process(struct options *o)
{
	struct state *s = vbr_xcalloc(1, sizeof *s);
	struct vbr_writer w;
	s->opt = o;
	vbr_periods_load(&s->per, &o->cli.terms);
	set_windows(s);
	vbr_intern_init(&s->members);
	vbr_intern_init(&s->competitors);
	vbr_intern_init(&s->pcp_spec);
	for (const char *const *c = pcp_specialties; *c; c++)
		vbr_intern(&s->pcp_spec, *c, strlen(*c));
	load_roster(s);
	load_codes(s);
	vbr_cli_account(&o->cli, &s->acct, NULL);
	s->slot_not_qualifying = vbr_account_reason(&s->acct, "not a qualifying service");
	s->slot_outside = vbr_account_reason(&s->acct, "outside every attribution window");
	s->slot_no_provider = vbr_account_reason(&s->acct, "no provider_id");
	s->slot_other_role = vbr_account_reason(&s->acct, "roster role other");
	if (o->claim_sums) {
		/* created before the claims are read: a bad path fails at once */
		vbr_account_init(&s->sums_acct, o->claim_sums_rejects, o->cli.max_rejects);
		s->csum.lead = HEADS_LEAD;      /* the heads in the sums' records */
		s->sums_acct.written_label = "used";
		vbr_writer_create(&s->sums_out, o->claim_sums);
	}
	read_claims(s);
	vbr_intern_end_lookups(&s->members);    /* its slots' memory for the sort */
	uint32_t *order = vbr_intern_sorted(&s->members);
	struct sums_writing sums = {s, order};
	pthread_t sums_thread;
	int threaded = o->claim_sums &&
		       pthread_create(&sums_thread, NULL, write_claim_sums, &sums) == 0;
	decide(s, &w, order);
	vbr_writer_close(&w);
	if (threaded)
		pthread_join(sums_thread, NULL);
	else if (o->claim_sums)
		write_claim_sums(&sums);        /* no thread: one after the other */
	free(order);
	if (o->cli.verbose) {
		fprintf(stderr, "attribute: members %u", s->members.count);
		for (int k = 0; k < VBR_NPERIODS; k++)
			fprintf(stderr, "; %s: attributed %llu, attributed elsewhere %llu, "
				"no qualifying service %llu", vbr_period_name[k],
				(unsigned long long)s->attributed[k],
				(unsigned long long)s->elsewhere[k],
				(unsigned long long)s->none[k]);
		fputc('\n', stderr);
	}
	int status = vbr_account_finish(&s->acct, o->cli.verbose);
	if (o->claim_sums) {
		int sums_status = vbr_claim_sums_finish(&s->csum, &s->sums_acct, o->cli.verbose);
		status = status ? status : sums_status;
	}
	vbr_claim_sums_free(&s->csum);
	vbr_intern_free(&s->members);
	vbr_intern_free(&s->competitors);
	vbr_intern_free(&s->providers);
	vbr_intern_free(&s->codes);
	vbr_intern_free(&s->pcp_spec);
	free(s->prov_comp);
	free(s->prov_role);
	vbr_free_mapped(s->head, s->head_cap, sizeof *s->head);
	vbr_free_mapped(s->pool, s->cap_pool, sizeof *s->pool);
	free(s);
	return status;
}

VBR_MAIN(command, struct options, process)
