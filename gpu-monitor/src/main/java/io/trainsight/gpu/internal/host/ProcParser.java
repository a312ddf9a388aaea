package io.trainsight.gpu.internal.host;

import java.nio.ByteBuffer;

/**
 * Reads numbers out of the text of Linux {@code /proc} files held in a byte buffer, without making
 * strings: {@code /proc/self/status}, {@code /proc/meminfo} ("{@code Key: 123 kB}" lines) and the
 * {@code cpu} line of {@code /proc/stat}.
 */
final class ProcParser {

    /** The {@code /proc/stat} fields summed into the total (user … steal); guest is in user. */
    private static final int STAT_FIELDS = 8;

    private static final byte[] CPU_LINE = {'c', 'p', 'u', ' '};
    private static final int STAT_IDLE = 3;
    private static final int STAT_IOWAIT = 4;

    private ProcParser() {}

    /**
     * Finds a line that starts with the key and returns the first number after it.
     *
     * @param text the file's bytes, from 0
     * @param length how many bytes are valid
     * @param key the line's start, such as {@code VmRSS:}
     * @return the number, or -1 when the key or a number after it is missing
     */
    static long keyedValue(ByteBuffer text, int length, byte[] key) {
        int lineStart = 0;
        while (lineStart < length) {
            if (startsWith(text, lineStart, length, key)) {
                return number(text, lineStart + key.length, length);
            }
            lineStart = nextLine(text, lineStart, length);
        }
        return -1;
    }

    /**
     * Reads the machine's CPU time from the first line of {@code /proc/stat} ({@code cpu user nice
     * system idle iowait irq softirq steal ...}, in clock ticks).
     *
     * @param text the file's bytes, from 0
     * @param length how many bytes are valid
     * @param totalAndIdle receives the total (index 0) and the idle time, iowait included (index 1)
     * @return false if the line is not there or is shorter than expected
     */
    static boolean cpuTimes(ByteBuffer text, int length, long[] totalAndIdle) {
        byte[] key = CPU_LINE;
        if (!startsWith(text, 0, length, key)) {
            return false;
        }
        int end = nextLine(text, 0, length);
        int position = key.length;
        long total = 0;
        long idle = 0;
        for (int field = 0; field < STAT_FIELDS; field++) {
            while (position < end && text.get(position) == ' ') {
                position++;
            }
            if (position >= end || !isDigit(text.get(position))) {
                return false;
            }
            long value = 0;
            while (position < end && isDigit(text.get(position))) {
                value = value * 10 + (text.get(position) - '0');
                position++;
            }
            total += value;
            if (field == STAT_IDLE || field == STAT_IOWAIT) {
                idle += value;
            }
        }
        totalAndIdle[0] = total;
        totalAndIdle[1] = idle;
        return true;
    }

    /**
     * Reads the runnable threads from {@code /proc/loadavg} ({@code 0.50 0.40 0.30 3/456 12345}):
     * the number before the slash of the fourth field.
     *
     * @param text the file's bytes, from 0
     * @param length how many bytes are valid
     * @return the count, or -1 when the field is not there
     */
    static long runnableThreads(ByteBuffer text, int length) {
        int position = 0;
        for (int field = 0; field < 3; field++) {
            while (position < length && text.get(position) != ' ') {
                position++;
            }
            while (position < length && text.get(position) == ' ') {
                position++;
            }
        }
        long value = number(text, position, length);
        int after = position;
        while (after < length && isDigit(text.get(after))) {
            after++;
        }
        return after < length && text.get(after) == '/' ? value : -1;
    }

    private static boolean startsWith(ByteBuffer text, int at, int length, byte[] key) {
        if (at + key.length > length) {
            return false;
        }
        for (int i = 0; i < key.length; i++) {
            if (text.get(at + i) != key[i]) {
                return false;
            }
        }
        return true;
    }

    private static int nextLine(ByteBuffer text, int from, int length) {
        int position = from;
        while (position < length && text.get(position) != '\n') {
            position++;
        }
        return position + 1;
    }

    private static long number(ByteBuffer text, int from, int length) {
        int position = from;
        while (position < length && (text.get(position) == ' ' || text.get(position) == '\t')) {
            position++;
        }
        if (position >= length || !isDigit(text.get(position))) {
            return -1;
        }
        long value = 0;
        while (position < length && isDigit(text.get(position))) {
            value = value * 10 + (text.get(position) - '0');
            position++;
        }
        return value;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
