package io.mutagent;

/**
 * The scope of an API key, which decides the headers each request must carry.
 *
 * <table>
 *   <caption>Headers per key scope</caption>
 *   <tr><th>scope</th><th>headers the client sends</th></tr>
 *   <tr><td>{@link #WORKSPACE}</td><td>none needed</td></tr>
 *   <tr><td>{@link #ORGANIZATION}</td><td>{@code x-workspace-id}</td></tr>
 *   <tr><td>{@link #USER}</td><td>{@code x-workspace-id} and {@code x-organization-id}</td></tr>
 * </table>
 */
public enum KeyScope {
  /** A key bound to one workspace (the default); no extra headers. */
  WORKSPACE,
  /** A key for an organization; every request names the workspace. */
  ORGANIZATION,
  /** A user's key; every request names the workspace and the organization. */
  USER
}
