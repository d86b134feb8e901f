/**
 * The agent's one immutable configuration. {@link io.ephemera.config.Option} is the table of
 * every option; {@link io.ephemera.config.Config} parses it once at startup and is then read
 * without locks. A bad key or value is one {@link io.ephemera.config.ConfigException} whose
 * message names the key, the value and what is accepted; a mistyped key, the option it most
 * likely meant ({@code did you mean stack.depth?}).
 */
package io.ephemera.config;
