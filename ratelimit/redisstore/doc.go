// Package redisstore is a ratelimit Store backed by Redis: one GCRA step per
// request, run atomically as a single Lua script, safe on Redis Cluster.
package redisstore
