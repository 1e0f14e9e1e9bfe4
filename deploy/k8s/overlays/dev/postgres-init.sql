-- One database per service, as the apphost creates them (ConnectionNames.cs). The migration Jobs fill them.
CREATE DATABASE identitydb;
CREATE DATABASE planningdb;
CREATE DATABASE staffingdb;
CREATE DATABASE fieldworkdb;
CREATE DATABASE cluesdb;
CREATE DATABASE auditdb;
CREATE DATABASE rectificationdb;
