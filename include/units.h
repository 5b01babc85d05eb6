/* units.h - sizes ("4K", "512M", "2G", "40%", "2x") and durations
 * ("500ms", "60s", "5m", "1h") as written in profiles and on the command line. */
#ifndef RB_UNITS_H
#define RB_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* Parse a size into bytes. Suffixes K M G T (powers of 1024, optional B or iB,
 * case-insensitive); a bare number is bytes. "40%" and "2x" (also "0.5x") are
 * relative to base; when base is 0 relative forms are rejected.
 * Returns 0, -EINVAL (malformed) or -ERANGE (overflow). */
int rb_parse_size(const char *text, uint64_t base, uint64_t *out_bytes);

/* Parse a duration into nanoseconds: "500ms", "60s", "5m", "1h", "250us";
 * a bare number is seconds (fractions allowed: "1.5"). Returns 0, -EINVAL or -ERANGE. */
int rb_parse_duration(const char *text, uint64_t *out_ns);

/* Format bytes as a short human string ("1.5G", "512M", "4K", "17"). */
void rb_format_size(uint64_t bytes, char *buf, size_t len);

/* Format nanoseconds as a short human string ("1.5s", "250ms", "30us"). */
void rb_format_duration(uint64_t ns, char *buf, size_t len);

#endif
