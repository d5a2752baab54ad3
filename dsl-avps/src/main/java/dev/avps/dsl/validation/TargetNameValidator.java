package dev.avps.dsl.validation;

import static dev.avps.dsl.avps.AvpsPackage.Literals.BIT_FIELD__NAME;
import static dev.avps.dsl.avps.AvpsPackage.Literals.FEATURE__ALIASES;

import dev.avps.dsl.avps.BitField;
import dev.avps.dsl.avps.Constant;
import dev.avps.dsl.avps.Device;
import dev.avps.dsl.avps.DeviceExtension;
import dev.avps.dsl.avps.DeviceFeatures;
import dev.avps.dsl.avps.Element;
import dev.avps.dsl.avps.Enum;
import dev.avps.dsl.avps.EnumLiteral;
import dev.avps.dsl.avps.Feature;
import dev.avps.dsl.avps.Field;
import dev.avps.dsl.avps.Model;
import dev.avps.dsl.avps.Queue;
import dev.avps.dsl.avps.Request;
import dev.avps.dsl.avps.Struct;
import dev.avps.dsl.layout.LayoutEngine;
import dev.avps.model.FieldLayout.Access;
import dev.avps.dsl.load.Locations;
import dev.avps.dsl.naming.JavaIdentifiers;
import dev.avps.dsl.scoping.AvpsScopeProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.validation.Check;

/**
 * Two different names of one scope that a generator turns into the same identifier: {@code a_b}
 * and {@code aB} are both the Java member {@code aB}, {@code x} and {@code X} both the constant
 * {@code X}. The generator would emit clashing declarations (or silently rename one), so
 * {@code avps check} rejects the pair, naming both places. The mappings are the generators' own
 * ({@link JavaIdentifiers}; C uses names or c-names as written, and upper-cases bit names):
 * <ul>
 * <li>fields of one struct, config or request part: Java members, C members;
 * <li>bit names of one field: Java accessors (field + bit), C macros (upper case);
 * <li>literals of one enum: Java constants;
 * <li>in a device (with the base's names for an extension): features and aliases (Java
 * constants), constants (Java constants), queues (Java
 * {@code Q_} constants), requests (Java classes and handlers), structs and enums (Java classes);
 * <li>shared structs and enums of a file: Java classes.
 * </ul>
 * Names the generators cannot map at all are {@link NameValidator}'s to report.
 */
public class TargetNameValidator extends ConcernValidator {

    private static final UnaryOperator<String> MEMBER = JavaIdentifiers::member;
    private static final UnaryOperator<String> CONSTANT = JavaIdentifiers::constant;
    private static final UnaryOperator<String> TYPE = JavaIdentifiers::type;
    private static final UnaryOperator<String> AS_WRITTEN = n -> n;

    /**
     * One declared name: the object, the feature (and list index) that holds it, the text the
     * generator maps, and the spec name it belongs to (they differ only for a c-name).
     */
    private record Named(EObject owner, EStructuralFeature feature, int index, String name, String specName) {

        Named(EObject owner, EStructuralFeature feature, int index, String name) {
            this(owner, feature, index, name, name);
        }

        String shown() {
            return name.equals(specName) ? "'" + name + "'" : "'" + specName + "' (c-name \"" + name + "\")";
        }
    }

    @Check
    public void checkStruct(Struct s) {
        if (s.eContainer() instanceof DeviceExtension x && s.isConfig() && x.getBase() != null && !x.getBase().eIsProxy()) {
            // Appended to the base's config: one Java class and one C struct with the base's fields.
            Struct base = configOf(x.getBase());
            if (base != null && base.getName() != null && base.getName().equals(s.getName())) {
                fields(base.getMembers(), s.getMembers());
                return;
            }
        }
        fields(List.of(), s.getMembers());
    }

    @Check
    public void checkRequest(Request r) {
        for (Access part : Access.values()) {
            List<Field> in = r.getMembers().stream().filter(f -> LayoutEngine.access(f) == part).toList();
            fields(List.of(), in);
        }
    }

    @Check
    public void checkBits(Field f) {
        List<Named> bits = new ArrayList<>();
        for (BitField b : f.getBitfields()) {
            if (b.getName() != null && !b.getName().startsWith("reserved")) {
                bits.add(new Named(b, BIT_FIELD__NAME, -1, b.getName()));
            }
        }
        clash(List.of(), bits, n -> JavaIdentifiers.type(n.toLowerCase(Locale.ROOT)), "Java accessor suffix");
        clash(List.of(), bits, n -> n.toUpperCase(Locale.ROOT), "C macro suffix");
    }

    @Check
    public void checkEnum(Enum e) {
        List<Named> literals = new ArrayList<>();
        for (EnumLiteral l : e.getLiterals()) {
            literals.add(named(l));
        }
        clash(List.of(), literals, CONSTANT, "Java constant");
    }

    @Check
    public void checkDevice(Device d) {
        device(List.of(), d.getMembers());
    }

    @Check
    public void checkExtension(DeviceExtension x) {
        if (x.getBase() != null && !x.getBase().eIsProxy()) {
            device(x.getBase().getMembers(), x.getMembers());
        }
    }

    /** Shared types of a file become classes in the package of every device that uses them. */
    @Check
    public void checkModel(Model m) {
        List<Named> types = new ArrayList<>();
        for (Element e : m.getElements()) {
            if (e instanceof Struct || e instanceof Enum) {
                types.add(named(e));
            }
        }
        clash(List.of(), types, TYPE, "Java class");
    }

    /** A device's names, or an extension's checked against its base's (base names are reported only with the extension's). */
    private void device(List<Element> base, List<Element> own) {
        clash(features(base), features(own), CONSTANT, "Java constant");
        clash(ofType(base, Constant.class), ofType(own, Constant.class), CONSTANT, "Java constant");
        clash(queues(base), queues(own), n -> "Q_" + CONSTANT.apply(n), "Java constant");
        clash(ofType(base, Request.class), ofType(own, Request.class), TYPE, "Java class");
        List<Named> baseTypes = new ArrayList<>(ofType(base, Struct.class));
        baseTypes.addAll(ofType(base, Enum.class));
        List<Named> ownTypes = new ArrayList<>();
        for (Element e : own) {
            // An extension's config block or enum with a base's name adds to that type, not a second one.
            if ((e instanceof Struct || e instanceof Enum) && baseTypes.stream().noneMatch(b -> b.name().equals(name(e)))) {
                ownTypes.add(named(e));
            }
        }
        clash(baseTypes, ownTypes, TYPE, "Java class");
    }

    private void fields(List<Field> base, List<Field> own) {
        clash(javaFields(base), javaFields(own), MEMBER, "Java name");
        clash(cFields(base), cFields(own), AS_WRITTEN, "C name");
    }

    /** Reserved fields get no Java accessor. */
    private static List<Named> javaFields(List<Field> fields) {
        List<Named> out = new ArrayList<>();
        for (Field f : fields) {
            if (!f.isReserved() && f.getName() != null) {
                out.add(named(f));
            }
        }
        return out;
    }

    /** In C a field is its c-name, else its name. */
    private static List<Named> cFields(List<Field> fields) {
        List<Named> out = new ArrayList<>();
        for (Field f : fields) {
            if (f.getCName() != null) {
                out.add(new Named(f, f.eClass().getEStructuralFeature("cName"), -1, f.getCName(), f.getName()));
            } else if (f.getName() != null) {
                out.add(named(f));
            }
        }
        return out;
    }

    private static List<Named> features(List<Element> members) {
        List<Named> out = new ArrayList<>();
        for (Element e : members) {
            if (e instanceof DeviceFeatures df) {
                for (Feature f : df.getFeatures()) {
                    out.add(named(f));
                    for (int i = 0; i < f.getAliases().size(); i++) {
                        out.add(new Named(f, FEATURE__ALIASES, i, f.getAliases().get(i)));
                    }
                }
            }
        }
        return out;
    }

    private static List<Named> queues(List<Element> members) {
        List<Named> out = new ArrayList<>();
        for (Queue q : AvpsScopeProvider.queuesIn(members)) {
            out.add(named(q));
        }
        return out;
    }

    private static List<Named> ofType(List<Element> members, Class<? extends Element> type) {
        List<Named> out = new ArrayList<>();
        for (Element e : members) {
            if (type.isInstance(e) && name(e) != null) {
                out.add(named(e));
            }
        }
        return out;
    }

    private static Struct configOf(Device d) {
        for (Element e : d.getMembers()) {
            if (e instanceof Struct s && s.isConfig()) {
                return s;
            }
        }
        return null;
    }

    private static String name(EObject o) {
        EStructuralFeature f = o.eClass().getEStructuralFeature("name");
        return f != null && o.eGet(f) instanceof String s ? s : null;
    }

    private static Named named(EObject o) {
        return new Named(o, o.eClass().getEStructuralFeature("name"), -1, name(o));
    }

    /**
     * Reports each of {@code own} whose mapped name an earlier name (of {@code base} or of
     * {@code own}) already has. Equal names are duplicates, Xtext's to report; names that do not
     * map at all are {@link NameValidator}'s.
     */
    private void clash(List<Named> base, List<Named> own, UnaryOperator<String> mapping, String what) {
        Map<String, Named> seen = new HashMap<>();
        for (Named n : base) {
            String mapped = mapped(n, mapping);
            if (mapped != null) {
                seen.putIfAbsent(mapped, n);
            }
        }
        for (Named n : own) {
            String mapped = mapped(n, mapping);
            if (mapped == null) {
                continue;
            }
            Named first = seen.putIfAbsent(mapped, n);
            if (first != null && first.specName() != null && !first.specName().equals(n.specName())) {
                error(n.shown() + " (" + where(n) + ") and " + first.shown() + " (" + where(first)
                        + ") both become " + what + " '" + mapped + "'; rename one of them", n.owner(), n.feature(),
                        n.index(), IssueCodes.NAME_CLASH);
            }
        }
    }

    private static String mapped(Named n, UnaryOperator<String> mapping) {
        if (n.name() == null || n.name().isEmpty() || n.name().length() > Limits.MAX_NAME_LENGTH
                || mapping != AS_WRITTEN && JavaIdentifiers.problem(n.name()) != null) {
            return null;
        }
        return mapping.apply(n.name());
    }

    /** file:line:column of a name, counted as {@code avps check} counts (lone CR no line end). */
    private static String where(Named n) {
        List<INode> nodes = NodeModelUtils.findNodesForFeature(n.owner(), n.feature());
        INode node = n.index() >= 0 && n.index() < nodes.size() ? nodes.get(n.index())
                : nodes.isEmpty() ? NodeModelUtils.findActualNodeFor(n.owner()) : nodes.get(0);
        String file = n.owner().eResource() == null || n.owner().eResource().getURI() == null ? "?"
                : n.owner().eResource().getURI().lastSegment();
        if (node == null) {
            return file;
        }
        int[] lc = new Locations(node.getRootNode().getText()).lineAndColumn(node.getOffset());
        return file + ":" + lc[0] + ":" + lc[1];
    }
}
