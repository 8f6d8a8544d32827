package org.pneumolab.data;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Kermany file name says: the patient and the subtype.
 * <pre>
 *   IM-0115-0001.jpeg           normal, patient IM-0115
 *   NORMAL2-IM-1427-0001.jpeg   normal, patient NORMAL2-IM-1427
 *   person1_bacteria_1.jpeg     pneumonia, patient person1, bacterial
 *   person10_virus_35.jpeg      pneumonia, patient person10, viral
 * </pre>
 * Any other name keeps the file stem as its patient ({@code recognised == false}), which the
 * loader reports: a patient-level split cannot group such images with their siblings.
 */
public record KermanyName(String patient, Subtype subtype, boolean recognised) {

    public enum Subtype { NORMAL, BACTERIA, VIRUS, UNKNOWN }

    private static final Pattern NORMAL = Pattern.compile("((?:NORMAL2-)?IM-\\d+)-\\d+");
    private static final Pattern PNEUMONIA = Pattern.compile("(person\\d+)_(bacteria|virus)_\\d+");

    public static KermanyName parse(String fileName) {
        String stem = ImageIds.of(fileName);
        Matcher m = NORMAL.matcher(stem);
        if (m.matches()) {
            return new KermanyName(m.group(1), Subtype.NORMAL, true);
        }
        m = PNEUMONIA.matcher(stem);
        if (m.matches()) {
            return new KermanyName(m.group(1), m.group(2).equals("virus") ? Subtype.VIRUS : Subtype.BACTERIA, true);
        }
        return new KermanyName(stem, Subtype.UNKNOWN, false);
    }
}
