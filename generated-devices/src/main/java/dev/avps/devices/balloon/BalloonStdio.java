package dev.avps.devices.balloon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;

/**
 * `avps-serve --device balloon` takes new targets on stdin: each line is a number of 4 KiB pages,
 * which becomes num_pages and is announced to the driver (see {@link BalloonDevice#target}). What
 * is not a target is answered on the log stream and skipped; the balloon keeps its old target.
 */
public final class BalloonStdio {

    private BalloonStdio() {
    }

    /** Reads target lines until the input ends; returns how many targets were set. */
    public static int feed(BalloonDevice balloon, Reader input, PrintStream log) throws IOException {
        int set = 0;
        BufferedReader in = new BufferedReader(input);
        String line;
        while ((line = in.readLine()) != null) {
            String t = line.trim();
            if (t.isEmpty()) {
                continue;
            }
            try {
                long pages = Long.parseLong(t);
                balloon.target(pages);
                set++;
                log.println("avps-serve: balloon target " + pages + " pages (" + (pages * 4) + " KiB); the driver holds "
                        + balloon.actual());
            } catch (NumberFormatException e) {
                log.println("avps-serve: a target is a number of 4 KiB pages, not '" + t + "'");
            } catch (IllegalArgumentException e) {
                log.println("avps-serve: " + e.getMessage());
            }
        }
        return set;
    }
}
