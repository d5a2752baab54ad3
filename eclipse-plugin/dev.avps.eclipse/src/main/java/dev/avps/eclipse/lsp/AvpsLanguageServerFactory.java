package dev.avps.eclipse.lsp;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.FileLocator;
import org.eclipse.core.runtime.IExecutableExtensionFactory;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.Status;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import dev.avps.eclipse.AvpsEclipse;

/**
 * Creates LSP4E's {@code StreamConnectionProvider} for the AVPS language server (plugin.xml,
 * extension point {@code org.eclipse.lsp4e.languageServer}). LSP4E's interface is loaded from the
 * LSP4E bundle at run time and implemented by a dynamic proxy around {@link ServerProcess}, so
 * this bundle has no compile-time or resolve-time dependency on LSP4E.
 */
public class AvpsLanguageServerFactory implements IExecutableExtensionFactory {
    /** LSP4E's bundle. */
    public static final String LSP4E_BUNDLE = "org.eclipse.lsp4e";
    /** The interface LSP4E expects a {@code server} contribution's class to implement. */
    public static final String PROVIDER_INTERFACE = "org.eclipse.lsp4e.server.StreamConnectionProvider";

    @Override
    public Object create() throws CoreException {
        Bundle lsp4e = Platform.getBundle(LSP4E_BUNDLE);
        if (lsp4e == null) {
            throw new CoreException(error("LSP4E (" + LSP4E_BUNDLE + ") is not installed", null));
        }
        Class<?> providerInterface;
        try {
            providerInterface = lsp4e.loadClass(PROVIDER_INTERFACE);
        } catch (ClassNotFoundException e) {
            throw new CoreException(error("this LSP4E has no " + PROVIDER_INTERFACE, e));
        }
        return proxy(providerInterface, new ServerProcess(serverCommand()));
    }

    /** The command line for the server packaged in this bundle, run by Eclipse's own JRE. */
    public static List<String> serverCommand() throws CoreException {
        return ServerCommand.forRunningJre(serverJar());
    }

    /** The packaged server jar as a local file (extracted to the configuration area if needed). */
    public static Path serverJar() throws CoreException {
        Bundle bundle = FrameworkUtil.getBundle(AvpsLanguageServerFactory.class);
        URL entry = bundle == null ? null : bundle.getEntry(AvpsEclipse.SERVER_JAR_ENTRY);
        if (entry == null) {
            throw new CoreException(error(AvpsEclipse.SERVER_JAR_ENTRY + " is missing from the bundle", null));
        }
        try {
            return Path.of(FileLocator.toFileURL(entry).getPath());
        } catch (IOException e) {
            throw new CoreException(error("cannot extract " + AvpsEclipse.SERVER_JAR_ENTRY, e));
        }
    }

    /**
     * Implements {@code providerInterface} by forwarding the methods named as in
     * {@link ServerConnection} to {@code connection}; the interface's default methods keep their
     * behaviour, and any other abstract method fails loudly instead of returning null.
     */
    public static Object proxy(Class<?> providerInterface, ServerConnection connection) {
        InvocationHandler handler = (proxy, method, args) -> {
            switch (method.getName()) {
                case "start":
                    if (method.getParameterCount() == 0) {
                        connection.start();
                        return null;
                    }
                    break;
                case "getInputStream":
                    return connection.getInputStream();
                case "getOutputStream":
                    return connection.getOutputStream();
                case "getErrorStream":
                    return connection.getErrorStream();
                case "stop":
                    connection.stop();
                    return null;
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "AVPS language server " + connection;
                default:
                    break;
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            throw new UnsupportedOperationException(describe(method));
        };
        return Proxy.newProxyInstance(providerInterface.getClassLoader(), new Class<?>[] {providerInterface}, handler);
    }

    private static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName() + " is not implemented";
    }

    private static IStatus error(String message, Throwable cause) {
        return new Status(IStatus.ERROR, AvpsEclipse.BUNDLE_ID, message, cause);
    }
}
