package dev.avps.devices.can;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.util.HexFormat;

/**
 * {@code avps-serve --device can}'s console: frames typed on stdin go on the bus for the guest, and
 * what the guest sends is printed. The text form is candump's: {@code 123#DEADBEEF} (a standard
 * identifier: up to 3 hex digits), {@code 1234ABCD#00} (extended: more digits), {@code 123##0011}
 * (CAN FD; the digit after {@code ##} is candump's flags nibble and is skipped when the payload
 * has an odd number of digits), {@code 123#R} or {@code 123#R4} (RTR, with a length).
 */
public final class CanStdio {

    private CanStdio() {
    }

    /** Reads one frame per line from {@code in} until it ends and injects each; problems go to {@code err}. */
    public static void feed(CanDevice can, Reader in, PrintStream err) throws IOException {
        BufferedReader r = new BufferedReader(in);
        String line;
        while ((line = r.readLine()) != null) {
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            try {
                CanFrame f = parse(line);
                if (!can.inject(f)) {
                    err.println("avps-serve: the controller is stopped or full, or cannot take " + f + "; dropped");
                }
            } catch (IllegalArgumentException e) {
                err.println("avps-serve: " + e.getMessage());
            }
        }
    }

    /** Parses candump's {@code ID#DATA} form. */
    public static CanFrame parse(String text) {
        int hash = text.indexOf('#');
        if (hash < 1) {
            throw new IllegalArgumentException("expected ID#DATA, got: " + text);
        }
        String id = text.substring(0, hash);
        int canId;
        try {
            canId = (int) Long.parseLong(id, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a hex identifier: " + id);
        }
        int flags = id.length() > 3 ? CanFrame.EXTENDED : 0;
        String rest = text.substring(hash + 1);
        byte[] data;
        if (rest.startsWith("#")) {
            flags |= CanFrame.FD;
            rest = rest.substring(1);
            if (rest.length() % 2 == 1) {
                rest = rest.substring(1);
            }
            data = hex(rest);
        } else if (rest.startsWith("R") || rest.startsWith("r")) {
            flags |= CanFrame.RTR;
            data = new byte[rest.length() > 1 ? Integer.parseInt(rest.substring(1), 16) : 0];
        } else {
            data = hex(rest.replace(".", ""));
        }
        CanFrame f = new CanFrame(canId, flags, data);
        String problem = f.problem(true, true, true);
        if (problem != null) {
            throw new IllegalArgumentException(problem + ": " + text);
        }
        return f;
    }

    private static byte[] hex(String s) {
        try {
            return HexFormat.of().parseHex(s.replace(".", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not hex payload: " + s);
        }
    }
}
