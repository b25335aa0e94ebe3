cqpSearch.load("t",7,{"usine":",,,,9","vae":",,,*Gc"});
