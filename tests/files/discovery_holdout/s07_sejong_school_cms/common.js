/* footer: policy documents are opened from a popover (document viewer, or the board of earlier posts) */
$(document).on('click', '.viewerPop', function(){
	var obj = $(this);
	var bbsTy = obj.attr("data-bbsTy");
	var ctx = obj.attr("data-ctx");
	var html = "";
	html += "<a href='javascript:' onClick=\"fn_synapViewer('" + ctx + "','" + bbsTy + "')\" class='btn_view'>바로보기</a>";
	html += "<a href='javascript:' onClick=\"fn_bbsMvmn('" + ctx + "','" + bbsTy + "')\" class='btn_view'>이전 게시글 보기</a>";
	obj.popover({ title: '상세보기', html: true, container: "body", placement: "top", content: html }).popover('show');
});

// the attached document of the newest post, shown in the document viewer
function fn_synapViewer(ctx, bbsTy){
	$.ajax({
		type : 'post',
		url : '/' + ctx + '/ft/indvdlView/synapViewer.do',
		dataType : 'json',
		data : { bbsTy : bbsTy },
		success : function(data) {
			if (data.dwldUrl != "" && data.fileSn != "") {
				window.open("/SynapDocViewServer/job?fid=" + data.fileSn
					+ "&filePath=" + encodeURIComponent("/common/nttFileDownload.do?fileKey=" + data.dwldUrl), "preview");
			} else {
				alert("등록된 문서가 없습니다.");
			}
		}
	});
}

// the board that keeps this and the earlier posts
function fn_bbsMvmn(ctx, bbsTy){
	$.ajax({
		type : 'post',
		url : '/' + ctx + '/ft/indvdlView/bbsMvmn.do',
		dataType : 'json',
		data : { sysId : ctx, bbsTy : bbsTy },
		success : function(data) {
			window.open(data.url);
		}
	});
}

function menuAccessCheck(mi, sysId, obj) {
	$.ajax({
		type : "post",
		url : "/" + sysId + "/mn/menu/menuAccess.do",
		data : { menuId : mi },
		dataType : "json",
		success : function(data) {
			location.href = JSON.parse(data.menuUrl);
		}
	});
}
