cqpSearch.load("d",1,{"id":"chaudronnier","t":"Chaudronnier","s":"Former des tôles et les assembler.","n":"RNCP37892"});
