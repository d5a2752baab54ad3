package dev.avps.dsl.validation;

import static dev.avps.dsl.avps.AvpsPackage.Literals.ENUM__TYPE;
import static dev.avps.dsl.avps.AvpsPackage.Literals.ENUM_LITERAL__VALUE;
import static dev.avps.dsl.avps.AvpsPackage.Literals.FEATURE__BIT;
import static dev.avps.dsl.avps.AvpsPackage.Literals.REFERABLE__NAME;
import static dev.avps.dsl.avps.AvpsPackage.Literals.REQUEST__VALUES;
import static dev.avps.dsl.avps.AvpsPackage.Literals.STRUCT__NAME;

import dev.avps.dsl.avps.AvpsPackage;
import dev.avps.dsl.avps.Device;
import dev.avps.dsl.avps.DeviceExtension;
import dev.avps.dsl.avps.DeviceFeatures;
import dev.avps.dsl.avps.Element;
import dev.avps.dsl.avps.Enum;
import dev.avps.dsl.avps.EnumLiteral;
import dev.avps.dsl.avps.Expression;
import dev.avps.dsl.avps.Feature;
import dev.avps.dsl.avps.Field;
import dev.avps.dsl.avps.Queue;
import dev.avps.dsl.avps.Request;
import dev.avps.dsl.avps.Struct;
import dev.avps.dsl.layout.Expressions;
import dev.avps.dsl.scoping.AvpsScopeProvider;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EPackage;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.validation.AbstractDeclarativeValidator;
import org.eclipse.xtext.validation.Check;
import org.eclipse.xtext.validation.EValidatorRegistrar;

/**
 * A proposal's {@code extend device} against its base: an extension may only add. New bits and
 * names must not collide with the base's, config fields can only be appended to the base's config
 * (a config block there must carry the base config's name), an enum with a base enum's name adds
 * values of the same type without reusing a name or value, and a request on a base queue must not
 * take a selector value a base request already has.
 */
public final class ExtensionValidator extends AbstractDeclarativeValidator {

    @Check
    public void checkExtension(DeviceExtension x) {
        Device base = x.getBase();
        if (base == null || base.eIsProxy()) {
            return;
        }
        if (x.eContainer() instanceof Device || x.eContainer() instanceof DeviceExtension) {
            error("'extend device' belongs at the top of a file, not inside a device", x, null,
                    IssueCodes.MISPLACED);
        }
        Map<Integer, Feature> bits = new HashMap<>();
        Map<String, EObject> names = new HashMap<>();
        Struct baseConfig = null;
        Map<String, Enum> baseEnums = new HashMap<>();
        for (Element e : base.getMembers()) {
            if (e instanceof DeviceFeatures df) {
                for (Feature f : df.getFeatures()) {
                    bits.putIfAbsent(f.getBit(), f);
                    names.put(f.getName(), f);
                    f.getAliases().forEach(a -> names.put(a, f));
                }
            } else if (e instanceof Struct s && s.isConfig()) {
                baseConfig = s;
            } else if (e instanceof Enum en) {
                baseEnums.put(en.getName(), en);
                names.put(en.getName(), en);
                en.getLiterals().forEach(l -> names.put(l.getName(), l));
            } else if (!(e instanceof Request)) {
                String n = name(e);
                if (n != null) {
                    names.put(n, e);
                }
            }
        }
        AvpsScopeProvider.queuesOf(base).forEach(q -> names.put(q.getName(), q));
        for (Element e : x.getMembers()) {
            if (e instanceof DeviceFeatures df) {
                for (Feature f : df.getFeatures()) {
                    Feature same = bits.get(f.getBit());
                    if (same != null) {
                        error("bit " + f.getBit() + " is already " + base.getName() + "'s " + same.getName()
                                + ": a proposal takes a free bit", f, FEATURE__BIT, IssueCodes.EXTENSION_COLLISION);
                    }
                    collision(f.getName(), f, names, base);
                    f.getAliases().forEach(a -> collision(a, f, names, base));
                }
            } else if (e instanceof Struct s && s.isConfig()) {
                config(s, baseConfig, base);
            } else if (e instanceof Enum en && baseEnums.containsKey(en.getName())) {
                enumValues(en, baseEnums.get(en.getName()), names, base);
            } else if (e instanceof Request r) {
                requestValues(r, base);
            } else {
                collision(name(e), e, names, base);
                if (e instanceof Enum en) {
                    en.getLiterals().forEach(l -> collision(l.getName(), l, names, base));
                }
            }
        }
        AvpsScopeProvider.queuesIn(x.getMembers()).forEach(q -> collision(q.getName(), q, names, base));
        for (Element e : base.getMembers()) {
            if (e instanceof Request r) {
                names.putIfAbsent("request " + r.getName(), r);
            }
        }
        for (Element e : x.getMembers()) {
            if (e instanceof Request r && names.containsKey("request " + r.getName())) {
                error("device '" + base.getName() + "' already has a request '" + r.getName() + "'", r,
                        nameFeature(r), IssueCodes.EXTENSION_COLLISION);
            }
        }
    }

    /** Config grows only at the end: the proposal's fields follow every base field, under new names. */
    private void config(Struct s, Struct baseConfig, Device base) {
        if (baseConfig == null) {
            return;
        }
        if (!baseConfig.getName().equals(s.getName())) {
            error("device '" + base.getName() + "' has config '" + baseConfig.getName() + "': name it so to append "
                    + "fields to it", s, STRUCT__NAME, IssueCodes.EXTENSION_MISMATCH);
        }
        if (s.getExpectedSize() > 0) {
            error("an appended config has no size of its own: the base's fields come first", s, null,
                    IssueCodes.EXTENSION_MISMATCH);
        }
        for (Field f : s.getMembers()) {
            for (Field b : baseConfig.getMembers()) {
                if (f.getName() != null && f.getName().equals(b.getName())) {
                    error("config '" + baseConfig.getName() + "' already has a field '" + f.getName() + "'", f,
                            REFERABLE__NAME, IssueCodes.EXTENSION_COLLISION);
                }
            }
        }
    }

    private void enumValues(Enum en, Enum baseEnum, Map<String, EObject> names, Device base) {
        if (en.getType() != baseEnum.getType()) {
            error("enum '" + en.getName() + "' of " + base.getName() + " is " + baseEnum.getType().getLiteral()
                    + ": added values must use the same type", en, ENUM__TYPE, IssueCodes.EXTENSION_MISMATCH);
        }
        Map<BigInteger, EnumLiteral> values = new HashMap<>();
        baseEnum.getLiterals().forEach(l -> values.putIfAbsent(l.getValue(), l));
        for (EnumLiteral l : en.getLiterals()) {
            EnumLiteral same = values.get(l.getValue());
            if (same != null) {
                error("value " + l.getValue() + " is already " + same.getName() + " in " + base.getName() + "'s enum '"
                        + en.getName() + "'", l, ENUM_LITERAL__VALUE, IssueCodes.EXTENSION_COLLISION);
            }
            collision(l.getName(), l, names, base);
        }
    }

    /** A new format on a base queue needs a selector value no base format has. */
    private void requestValues(Request r, Device base) {
        Queue q = r.getQueue();
        if (q == null || q.eIsProxy()) {
            return;
        }
        Map<BigInteger, Request> taken = new HashMap<>();
        for (Element e : base.getMembers()) {
            if (e instanceof Request b && b.getQueue() == q) {
                for (Expression v : b.getValues()) {
                    BigInteger c = Expressions.constant(v);
                    if (c != null) {
                        taken.putIfAbsent(c, b);
                    }
                }
            }
        }
        List<Expression> values = r.getValues();
        for (int i = 0; i < values.size(); i++) {
            BigInteger c = Expressions.constant(values.get(i));
            Request same = c == null ? null : taken.get(c);
            if (same != null) {
                error("selector value " + c + " already selects " + base.getName() + "'s request '" + same.getName()
                        + "' on queue '" + q.getName() + "'", r, REQUEST__VALUES, i, IssueCodes.EXTENSION_COLLISION);
            }
        }
    }

    private void collision(String n, EObject o, Map<String, EObject> names, Device base) {
        if (n != null && names.containsKey(n)) {
            error("'" + n + "' is already a name in device '" + base.getName() + "': a proposal adds new names", o,
                    nameFeature(o), IssueCodes.EXTENSION_COLLISION);
        }
    }

    private static EStructuralFeature nameFeature(EObject o) {
        return o.eClass().getEStructuralFeature("name");
    }

    private static String name(EObject e) {
        EStructuralFeature f = nameFeature(e);
        return f == null ? null : (String) e.eGet(f);
    }

    @Override
    protected List<EPackage> getEPackages() {
        return List.of(AvpsPackage.eINSTANCE);
    }

    /** Composed into {@link AvpsValidator}, which registers for the language. */
    @Override
    public void register(EValidatorRegistrar registrar) {
    }
}
