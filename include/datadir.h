/* datadir.h - where reclaimbench finds its data (profiles/, plots/): the
 * same five places, in order, for each kind. */
#ifndef RB_DATADIR_H
#define RB_DATADIR_H

#include <stdbool.h>
#include <stddef.h>

#define RB_DATADIR_CANDIDATES 5

/* Candidate i (0..RB_DATADIR_CANDIDATES-1) for the data directory `sub`
 * ("profiles", "plots") into buf: $<env>, ./<sub>, <exe dir>/<sub>,
 * <exe dir>/../share/reclaimbench/<sub> (an installed tree stays
 * relocatable), RB_DATADIR/<sub>. False if unset, unknown or too long. */
bool rb_datadir_candidate(const char *env, const char *sub, int i, char *buf, size_t len);

#endif
