package dev.perfaas.runtime;

import com.openfaas.model.IHandler;

/** Instantiates the function's handler class, as OpenFaaS's java17 entrypoint does. */
final class HandlerLoader {
    private HandlerLoader() {}

    static IHandler load(String className) throws ReflectiveOperationException {
        Class<?> type = Class.forName(className);
        return (IHandler) type.getDeclaredConstructor().newInstance();
    }
}
