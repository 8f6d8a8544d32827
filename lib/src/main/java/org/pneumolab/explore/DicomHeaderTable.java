package org.pneumolab.explore;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.pneumolab.dicom.DicomDataset;
import org.pneumolab.dicom.DicomDictionary;
import org.pneumolab.dicom.DicomElement;
import org.pneumolab.dicom.DicomFile;

import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** A DICOM file's header as a table: tag, keyword, VR and value, file meta first. */
public final class DicomHeaderTable {
    private static final Set<String> BINARY = Set.of("OB", "OW", "OF", "OD", "OL", "OV", "UN");
    private static final int MAX_VALUE_CHARS = 80;

    private DicomHeaderTable() {
    }

    public static Table of(DicomFile file) {
        StringColumn tag = StringColumn.create("tag");
        StringColumn keyword = StringColumn.create("keyword");
        StringColumn vr = StringColumn.create("VR");
        StringColumn value = StringColumn.create("value");
        for (DicomDataset ds : new DicomDataset[] {file.meta(), file.attributes()}) {
            Map<Integer, DicomElement> sorted = new TreeMap<>((a, b) -> Integer.compareUnsigned(a, b));
            sorted.putAll(ds.elements());
            for (DicomElement e : sorted.values()) {
                String kw = DicomDictionary.keyword(e.tag());
                boolean privateTag = ((e.tag() >>> 16) & 1) == 1;
                tag.append(DicomDictionary.format(e.tag()));
                keyword.append(kw != null ? kw : privateTag ? "(private)" : "(unknown)");
                vr.append(e.vr());
                value.append(describe(ds, e));
            }
        }
        return Table.create("DICOM header of " + file.path().getFileName(), tag, keyword, vr, value);
    }

    private static String describe(DicomDataset ds, DicomElement e) {
        if (e.isSequence()) {
            return "sequence of " + e.items().size() + " item(s)";
        }
        if (e.isEncapsulated()) {
            return "encapsulated, " + (e.fragments().size() - 1) + " fragment(s) after the offset table";
        }
        if (BINARY.contains(e.vr())) {
            return e.length() + " bytes";
        }
        String s = ds.string(e.tag()).orElse("");
        return s.length() > MAX_VALUE_CHARS ? s.substring(0, MAX_VALUE_CHARS) + "…" : s;
    }
}
