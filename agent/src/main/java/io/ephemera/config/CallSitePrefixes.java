package io.ephemera.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Package prefixes of libraries, whose frames are skipped when a call site is labelled. */
final class CallSitePrefixes {

    /**
     * HTTP, database, Redis, messaging and RPC clients, pools and frameworks: the code between the
     * application and the socket. A call site is labelled with the application frame that called them.
     */
    static final String DEFAULT = String.join(":",
            // HTTP clients and servers
            "org.apache.http.", "org.apache.hc.", "okhttp3.", "okio.", "retrofit2.", "feign.",
            "org.asynchttpclient.", "org.eclipse.jetty.", "io.netty.", "reactor.", "io.vertx.",
            "io.undertow.", "org.apache.catalina.", "org.apache.coyote.", "org.apache.tomcat.",
            "org.glassfish.jersey.", "org.jboss.resteasy.", "org.apache.cxf.", "com.google.api.client.",
            "com.google.http.client.", "io.micronaut.", "io.quarkus.", "io.helidon.", "io.javalin.",
            "org.springframework.", "com.sun.jersey.",
            // databases and pools
            "org.postgresql.", "com.mysql.", "org.mariadb.", "oracle.jdbc.", "com.microsoft.sqlserver.",
            "org.h2.", "org.hsqldb.", "com.zaxxer.hikari.", "org.apache.commons.dbcp2.", "org.apache.commons.pool2.",
            "com.mchange.", "org.apache.tomcat.jdbc.", "org.hibernate.", "org.jooq.", "org.mybatis.",
            "org.jdbi.", "com.mongodb.", "org.mongodb.", "com.datastax.", "org.elasticsearch.", "co.elastic.",
            "org.opensearch.",
            // Redis and caches
            "redis.clients.", "io.lettuce.", "org.redisson.", "net.spy.memcached.",
            // messaging and RPC
            "org.apache.kafka.", "com.rabbitmq.", "org.apache.activemq.", "org.apache.pulsar.", "io.nats.",
            "io.grpc.", "org.apache.thrift.", "software.amazon.awssdk.", "com.amazonaws.",
            "com.google.cloud.", "com.azure.",
            // language runtimes that sit between caller and socket
            "kotlin.", "kotlinx.coroutines.", "scala.", "akka.", "org.apache.pekko.", "groovy.",
            "org.codehaus.groovy.",
            // other agents' instrumentation, inlined or interposed in the clients above
            "io.opentelemetry.", "datadog.trace.", "com.newrelic.", "co.elastic.apm.", "io.micrometer.");

    private CallSitePrefixes() {
    }

    static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(":")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (!Character.isJavaIdentifierPart(c) && c != '.' && c != '$') {
                    throw new IllegalArgumentException(p);
                }
            }
            out.add(p);
        }
        return Collections.unmodifiableList(out);
    }
}
