package org.selfsup.util;

import java.util.Collection;
import java.util.Locale;

/** Did-you-mean suggestions for mistyped keys and names. */
public final class Names {
    private Names() {}

    /** Levenshtein edit distance (insertions, deletions, substitutions, each cost 1). */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /**
     * The closest candidate to {@code input}, or null when none is close. snake_case and camelCase
     * spellings of a kebab-case candidate match it exactly.
     */
    public static String closest(String input, Collection<String> candidates) {
        String normal = toKebab(input);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(normal, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int allowed = Math.max(2, normal.length() / 3);
        return bestDistance <= allowed ? best : null;
    }

    /** " (did you mean 'x'?)" or an empty string. */
    public static String didYouMean(String input, Collection<String> candidates) {
        String c = closest(input, candidates);
        return c == null ? "" : " (did you mean '" + c + "'?)";
    }

    /** batch_size, batchSize and BATCH-SIZE all become batch-size. */
    public static String toKebab(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isUpperCase(ch) && i > 0 && Character.isLowerCase(s.charAt(i - 1))) {
                b.append('-');
            }
            b.append(ch == '_' ? '-' : ch);
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }
}
