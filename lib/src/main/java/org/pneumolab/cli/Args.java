package org.pneumolab.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed command-line arguments: {@code --name value} options, {@code --flag} switches and
 * positional arguments. Unknown options are rejected with a {@link UsageException}.
 */
public record Args(Map<String, String> options, List<String> positional, Map<String, List<String>> repeated) {

    public static Args parse(List<String> args, Set<String> valueOptions, Set<String> flags) {
        Map<String, String> opts = new LinkedHashMap<>();
        Map<String, List<String>> all = new LinkedHashMap<>();
        List<String> pos = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flags.contains(name) && value == null) {
                    opts.put(name, "true");
                } else if (valueOptions.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new UsageException("option --" + name + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    opts.put(name, value);
                    all.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                } else {
                    throw new UsageException("unknown option --" + name);
                }
            } else {
                pos.add(a);
            }
        }
        return new Args(opts, pos, all);
    }

    public boolean flag(String name) {
        return options.containsKey(name);
    }

    /**
     * Every value an option was given, in order, for options that may repeat (e.g. one
     * {@code --raw} per detection source); {@link #get} gives the last one.
     */
    public List<String> values(String name) {
        return List.copyOf(repeated.getOrDefault(name, List.of()));
    }

    public String get(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    public long getLong(String name, long fallback) {
        String v = options.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, got '" + v + "'");
        }
    }

    public int getInt(String name, int fallback) {
        long v = getLong(name, fallback);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new UsageException("--" + name + " is out of range: " + v);
        }
        return (int) v;
    }
}
