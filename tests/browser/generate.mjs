// The generated scenario the measurements import: one source tenant with `users` internal members
// synchronized by `targets` started jobs ("Sync all users and groups") into as many targets, and a
// timeline entry at tick 1 changing the department of `changes` users.

export function generatedScenario(users, targets, changes) {
  const source = {
    id: 'hub',
    displayName: 'Hub',
    verifiedDomains: ['hub.example'],
    crossTenantAccess: {
      partners: Array.from({ length: targets }, (_, i) => ({
        tenant: `t${i + 1}`,
        automaticUserConsentSettings: { outboundAllowed: true },
      })),
    },
    users: Array.from({ length: users }, (_, i) => ({
      id: `u${i}`,
      userPrincipalName: `user${i}@hub.example`,
      displayName: `User ${i}`,
      givenName: 'User',
      surname: `${i}`,
      mail: `user${i}@hub.example`,
      mailNickname: `user${i}`,
      department: ['Sales', 'Marketing', 'Engineering', 'Finance'][i % 4],
      jobTitle: 'Employee',
      companyName: 'Hub Ltd',
      employeeId: `${100000 + i}`,
      city: ['Seattle', 'London', 'Paris'][i % 3],
      country: ['US', 'GB', 'FR'][i % 3],
    })),
  };
  const targetTenants = Array.from({ length: targets }, (_, i) => ({
    id: `t${i + 1}`,
    displayName: `Target ${i + 1}`,
    verifiedDomains: [`t${i + 1}.example`],
    crossTenantAccess: {
      partners: [{
        tenant: 'hub',
        automaticUserConsentSettings: { inboundAllowed: true },
        identitySynchronization: { userSyncInbound: { isSyncAllowed: true } },
      }],
    },
  }));
  return {
    version: 1,
    name: `Measurement: ${users} users into ${targets} targets`,
    tenants: [source, ...targetTenants],
    jobs: targetTenants.map((t) => ({ id: `hub-to-${t.id}`, source: 'hub', target: t.id, state: 'started', scope: 'all' })),
    timeline: Array.from({ length: changes }, (_, i) => ({
      tick: 1,
      command: 'setAttributes',
      tenant: 'hub',
      user: `u${i * Math.floor(users / changes)}`,
      attributes: { department: 'Research' },
    })),
  };
}
