// Alerts not yet fanned out to the webhooks, oldest first (writeAlerts marks every new one).
MATCH (a:Unrouted)
WITH a ORDER BY a.createdAt, a.alertId
LIMIT $limit
RETURN a.alertId AS alertId
